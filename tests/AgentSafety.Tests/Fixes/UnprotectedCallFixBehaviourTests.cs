using System.Collections.Immutable;
using System.Diagnostics;
using System.Net;
using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSafety.Tests.Fixes;

/// <summary>
/// AGS002's pipeline fix, run: the fixed HTTP tools are called against a scripted in-process server. The fix promises
/// a retry with backoff; for HTTP that means what may succeed later (no answer, 408, 429, 5xx) is tried again and
/// what never will (400, 401, 403, 404) is not, a server's Retry-After is honoured, and a POST is not sent twice
/// unless the server turned it away (429) or the code sends an idempotency key.
/// </summary>
public class UnprotectedCallFixBehaviourTests
{
    private const string Tools = """
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        using Polly;

        public class WeatherTools
        {
            private readonly HttpClient _http;

            public WeatherTools(HttpClient http) => _http = http;

            [McpServerTool]
            public async Task<int> Status(string city)
            {
                using var response = await _http.GetAsync("weather/" + city);
                return (int)response.StatusCode;
            }

            [McpServerTool]
            public async Task<string> Forecast(string city) => await _http.GetStringAsync("forecast/" + city);

            [McpServerTool]
            public async Task<int> Report(string city)
            {
                using var response = await _http.PostAsync("reports", new StringContent(city));
                return (int)response.StatusCode;
            }

            [McpServerTool]
            public async Task<int> Order(string item)
            {
                using var request = new StringContent(item);
                request.Headers.Add("Idempotency-Key", item);
                using var response = await _http.PostAsync("orders", request);
                return (int)response.StatusCode;
            }
        }
        """;

    private static readonly Lazy<Task<FixedCode>> Fixed = new(() => FixedCode.ApplyAsync(
        Tools, new UnprotectedCallAnalyzer(), new UnprotectedCallCodeFixProvider(), UnprotectedCallCodeFixProvider.ResiliencePipelineKey));

    private static async Task<(object Tools, ScriptedHttpHandler Server)> ToolsAsync(ScriptedHttpHandler server)
        => ((await Fixed.Value).Create("WeatherTools", server.Client()), server);

    [Fact]
    public async Task A_503_answer_is_retried_after_the_servers_Retry_After_delay()
    {
        var zero = (TimeSpan?)TimeSpan.Zero;
        var (tools, server) = await ToolsAsync(new ScriptedHttpHandler(
            (HttpStatusCode.ServiceUnavailable, zero), (HttpStatusCode.ServiceUnavailable, zero), (HttpStatusCode.OK, null)));
        var clock = Stopwatch.StartNew();

        Assert.Equal(200, await FixedCode.CallAsync(tools, "Status", "Oslo"));
        Assert.Equal(3, server.Requests);
        // Polly's own backoff starts at 2 s: the two retries came at once because the server said so.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.BadGateway)]
    public async Task Transient_answers_are_retried(HttpStatusCode transient)
    {
        var (tools, server) = await ToolsAsync(new ScriptedHttpHandler((transient, TimeSpan.Zero), (HttpStatusCode.OK, null)));

        Assert.Equal(200, await FixedCode.CallAsync(tools, "Status", "Oslo"));
        Assert.Equal(2, server.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task Permanent_answers_are_not_retried(HttpStatusCode permanent)
    {
        var (tools, server) = await ToolsAsync(new ScriptedHttpHandler((permanent, TimeSpan.Zero), (HttpStatusCode.OK, null)));

        Assert.Equal((int)permanent, await FixedCode.CallAsync(tools, "Status", "Oslo"));
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task A_404_thrown_by_GetStringAsync_is_not_retried()
    {
        var (tools, server) = await ToolsAsync(new ScriptedHttpHandler(HttpStatusCode.NotFound, HttpStatusCode.OK));

        var thrown = await Assert.ThrowsAsync<HttpRequestException>(() => FixedCode.CallAsync(tools, "Forecast", "Atlantis"));
        Assert.Equal(HttpStatusCode.NotFound, thrown.StatusCode);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task A_503_thrown_by_GetStringAsync_is_retried_with_backoff()
    {
        var (tools, server) = await ToolsAsync(new ScriptedHttpHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK));

        Assert.Equal("\"answer\"", await FixedCode.CallAsync(tools, "Forecast", "Oslo"));
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task A_success_is_not_sent_again()
    {
        var (tools, server) = await ToolsAsync(new ScriptedHttpHandler(HttpStatusCode.OK));

        Assert.Equal("\"answer\"", await FixedCode.CallAsync(tools, "Forecast", "Oslo"));
        Assert.Equal(200, await FixedCode.CallAsync(tools, "Status", "Oslo"));
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task A_POST_answered_503_is_not_sent_twice()
    {
        var (tools, server) = await ToolsAsync(new ScriptedHttpHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK));

        Assert.Equal(503, await FixedCode.CallAsync(tools, "Report", "Oslo"));
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task A_POST_turned_away_with_429_is_sent_again()
    {
        var (tools, server) = await ToolsAsync(new ScriptedHttpHandler((HttpStatusCode.TooManyRequests, TimeSpan.Zero), (HttpStatusCode.Created, null)));

        Assert.Equal(201, await FixedCode.CallAsync(tools, "Report", "Oslo"));
        Assert.Equal(2, server.Requests);
        Assert.All(server.Methods, m => Assert.Equal(HttpMethod.Post, m));
    }

    [Fact]
    public async Task A_POST_with_an_idempotency_key_is_retried_like_a_GET()
    {
        var (tools, server) = await ToolsAsync(new ScriptedHttpHandler((HttpStatusCode.ServiceUnavailable, TimeSpan.Zero), (HttpStatusCode.Created, null)));

        Assert.Equal(201, await FixedCode.CallAsync(tools, "Order", "umbrella"));
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task The_fix_writes_one_pipeline_per_kind_of_call_and_one_retry_decision()
    {
        var text = (await Fixed.Value).Text;

        Assert.Contains("ResiliencePipeline<HttpResponseMessage> HttpResponseRetryPipeline", text);
        Assert.Contains("ResiliencePipeline<HttpResponseMessage> HttpResponseThrottleRetryPipeline", text);
        Assert.Contains("ResiliencePipeline HttpRetryPipeline", text);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, @"static bool IsTransientHttpFailure\("));
    }

    // ---------------------------------------------------------------- the handler fix (a client from IHttpClientFactory)

    private const string TypedClient = """
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using ModelContextProtocol.Server;

        public static class Setup
        {
            public static void Register(IServiceCollection services, HttpMessageHandler primary)
            {
                services.AddHttpClient<CityTools>(client => client.BaseAddress = new Uri("http://127.0.0.1/"))
                    .ConfigurePrimaryHttpMessageHandler(() => primary);
            }
        }

        public class CityTools(HttpClient http)
        {
            [McpServerTool]
            public async Task<int> Status(string city)
            {
                using var response = await http.GetAsync("weather/" + city);
                return (int)response.StatusCode;
            }

            [McpServerTool]
            public async Task<int> Report(string city)
            {
                using var response = await http.PostAsync("reports", new StringContent(city));
                return (int)response.StatusCode;
            }
        }
        """;

    private static readonly Lazy<Task<FixedCode>> HandlerFixed = new(() => FixedCode.ApplyAsync(
        TypedClient, new UnprotectedCallAnalyzer(), new UnprotectedCallCodeFixProvider(), UnprotectedCallCodeFixProvider.StandardResilienceHandlerKey));

    /// <summary>The typed client as the fixed registration builds it, over <paramref name="server"/> as its primary handler.</summary>
    private static async Task<(object Tools, ServiceProvider Services)> TypedClientAsync(ScriptedHttpHandler server)
    {
        var code = await HandlerFixed.Value;
        var services = new ServiceCollection();
        code.Assembly.GetType("Setup", throwOnError: true)!.GetMethod("Register")!.Invoke(null, new object[] { services, server });
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService(code.Assembly.GetType("CityTools", throwOnError: true)!), provider);
    }

    [Fact]
    public async Task The_handler_fix_is_offered_first_for_a_factory_client_and_the_pipeline_second()
    {
        var project = Robustness.AnalysisHarness.CreateProject(new[] { ("Code.cs", TypedClient) });
        var found = await Robustness.AnalysisHarness.AnalyzeAsync(project, ImmutableArray.Create<DiagnosticAnalyzer>(new UnprotectedCallAnalyzer()));
        Assert.Equal(2, found.Diagnostics.Length);
        foreach (var diagnostic in found.Diagnostics)
        {
            var fixes = await Robustness.AnalysisHarness.FixesForAsync(project, diagnostic);
            Assert.Equal(
                new[] { UnprotectedCallCodeFixProvider.StandardResilienceHandlerKey, UnprotectedCallCodeFixProvider.ResiliencePipelineKey },
                fixes.Select(f => f.EquivalenceKey));
            Assert.Equal("Register AddStandardResilienceHandler() on the 'CityTools' client", fixes[0].Title);
        }
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.BadGateway)]
    public async Task The_registered_handler_retries_a_transient_answer_after_the_servers_Retry_After_delay(HttpStatusCode transient)
    {
        var server = new ScriptedHttpHandler((transient, TimeSpan.Zero), (HttpStatusCode.OK, null));
        var (tools, services) = await TypedClientAsync(server);
        using (services)
        {
            var clock = Stopwatch.StartNew();
            Assert.Equal(200, await FixedCode.CallAsync(tools, "Status", "Oslo"));
            Assert.Equal(2, server.Requests);
            // The standard handler's own backoff starts at 2 s: the retry came at once because the server said so.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), $"took {clock.Elapsed}");
        }
    }

    [Fact]
    public async Task The_registered_handler_does_not_retry_a_404()
    {
        var server = new ScriptedHttpHandler(HttpStatusCode.NotFound, HttpStatusCode.OK);
        var (tools, services) = await TypedClientAsync(server);
        using (services)
        {
            Assert.Equal(404, await FixedCode.CallAsync(tools, "Status", "Atlantis"));
            Assert.Equal(1, server.Requests);
        }
    }

    [Fact]
    public async Task The_registered_handler_does_not_send_a_POST_twice()
    {
        var server = new ScriptedHttpHandler((HttpStatusCode.ServiceUnavailable, TimeSpan.Zero), (HttpStatusCode.Created, null));
        var (tools, services) = await TypedClientAsync(server);
        using (services)
        {
            Assert.Equal(503, await FixedCode.CallAsync(tools, "Report", "Oslo"));
            Assert.Equal(1, server.Requests);
        }
    }

    [Fact]
    public async Task The_handler_fix_edits_the_registration_and_nothing_else()
    {
        var text = (await HandlerFixed.Value).Text;

        const string Registration = """
                    services.AddHttpClient<CityTools>(client => client.BaseAddress = new Uri("http://127.0.0.1/"))
                        .ConfigurePrimaryHttpMessageHandler(() => primary)
                        .AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());
            """;
        Assert.True(text.Contains(Registration, StringComparison.Ordinal), text);
        Assert.Contains("using Microsoft.Extensions.Http.Resilience;", text);
        Assert.Contains("using var response = await http.GetAsync(\"weather/\" + city);", text);
        Assert.DoesNotContain("Pipeline", text);
    }

    [Fact]
    public async Task As_dotnet_format_applies_it_the_first_diagnostics_first_fix_goes_to_all_and_a_second_run_fixes_the_rest()
    {
        // dotnet format: the first fix offered for the first diagnostic, applied by FixAll in solution scope to every
        // diagnostic of the id. Here the first is a factory client's call: the handler goes on its registration in
        // Program.cs, the call on a client made with new is left, and the second run wraps it in a pipeline.
        var project = Robustness.AnalysisHarness.CreateProject(new[]
        {
            ("Program.cs", """
                using Microsoft.Extensions.DependencyInjection;

                public static class Program
                {
                    public static void Register(IServiceCollection services) => services.AddHttpClient("weather");
                }
                """),
            ("Tools.cs", """
                using System.Net.Http;
                using System.Threading.Tasks;
                using ModelContextProtocol.Server;

                public class Tools(IHttpClientFactory factory)
                {
                    private static readonly HttpClient Shared = new();

                    [McpServerTool]
                    public async Task<string> Forecast(string city) => await factory.CreateClient("weather").GetStringAsync("https://weather.example/" + city);

                    [McpServerTool]
                    public async Task<string> News() => await Shared.GetStringAsync("https://news.example/");
                }
                """),
        });
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new UnprotectedCallAnalyzer());
        var provider = new UnprotectedCallCodeFixProvider();

        var keys = new List<string>();
        for (var run = 0; run < 3; run++)
        {
            var found = (await Robustness.AnalysisHarness.AnalyzeAsync(project, analyzers)).Diagnostics;
            if (found.IsEmpty)
            {
                break;
            }

            var first = (await Robustness.AnalysisHarness.FixesForAsync(project, found[0]))[0];
            keys.Add(first.EquivalenceKey!);
            var action = await Robustness.AnalysisHarness.FixAllAsync(project, provider, first.EquivalenceKey!, found, Microsoft.CodeAnalysis.CodeFixes.FixAllScope.Solution);
            project = await Robustness.AnalysisHarness.ApplyAsync(project, action!);
        }

        Assert.Equal(new[] { UnprotectedCallCodeFixProvider.StandardResilienceHandlerKey, UnprotectedCallCodeFixProvider.ResiliencePipelineKey }, keys);
        Assert.Empty(await Robustness.AnalysisHarness.CompilerErrorsAsync(project));
        var program = (await project.Documents.Single(d => d.Name == "Program.cs").GetTextAsync()).ToString();
        Assert.Contains("""services.AddHttpClient("weather").AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());""", program);
        var tools = (await project.Documents.Single(d => d.Name == "Tools.cs").GetTextAsync()).ToString();
        Assert.Contains("""await factory.CreateClient("weather").GetStringAsync("https://weather.example/" + city);""", tools);
        Assert.Contains("ExecuteAsync", tools);
    }
}
