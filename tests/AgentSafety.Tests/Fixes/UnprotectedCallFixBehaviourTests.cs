using System.Diagnostics;
using System.Net;
using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes;

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
}
