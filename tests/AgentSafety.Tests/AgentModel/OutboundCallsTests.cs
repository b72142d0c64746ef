using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Tests.AgentModel;

/// <summary>OutboundCalls and Resilience asked directly, as other rules will ask them.</summary>
public class OutboundCallsTests
{
    private static string?[] Classify(KnowledgeCompilation k, string type, string method)
        => k.Calls(type, method)
            .OfType<IInvocationOperation>()
            .Select(i => k.Model.OutboundCalls.Classify(i, k.Type(type)) is { } call ? $"{call.Kind}:{call.Display}{(k.Model.OutboundCalls.IsStreaming(call) ? ":stream" : "")}" : null)
            .ToArray();

    [Fact]
    public void Outbound_calls_are_classified_by_kind_and_streaming()
    {
        var k = KnowledgeCompilation.Of("""
            using System.Net.Http;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using ModelContextProtocol.Client;
            class C
            {
                async Task M(IChatClient chat, McpClient mcp, AIFunction function, HttpClient http, OpenAI.Chat.ChatClient openAi)
                {
                    await chat.GetResponseAsync("q");
                    await foreach (var update in chat.GetStreamingResponseAsync("q")) { }
                    await mcp.CallToolAsync("t");
                    await mcp.ListToolsAsync();
                    await function.InvokeAsync();
                    await http.GetStringAsync("u");
                    await openAi.CompleteChatAsync(new OpenAI.Chat.UserChatMessage("q"));
                }
            }
            """);
        Assert.Equal(
            new[] { "Model:IChatClient.GetResponseAsync", "Model:IChatClient.GetStreamingResponseAsync:stream", "Tool:McpClient.CallToolAsync", "Tool:AIFunction.InvokeAsync", "Http:HttpClient.GetStringAsync" },
            Classify(k, "C", "M").Where(c => c is not null).ToArray());
    }

    [Fact]
    public void Clients_of_retrying_sdks_retry_by_themselves_and_others_do_not()
    {
        var k = KnowledgeCompilation.Of("""
            using Microsoft.Extensions.AI;
            class C
            {
                void M(OpenAI.Chat.ChatClient openAi, IChatClient injected)
                {
                    var adapted = openAi.AsIChatClient();
                    adapted.GetService(typeof(object));
                    injected.GetService(typeof(object));
                }
            }
            """);
        var receivers = k.Calls("C", "M").OfType<IInvocationOperation>().Where(i => i.TargetMethod.Name == "GetService")
            .Select(i => k.Model.OutboundCalls.RetriesByItself(i.Instance)).ToArray();
        Assert.Equal(new[] { true, false }, receivers);
    }

    [Fact]
    public void An_http_resilience_registration_is_found_by_name_anywhere_in_the_compilation()
    {
        var without = KnowledgeCompilation.Of("class C { void M(Microsoft.Extensions.DependencyInjection.IServiceCollection s) => s.ToString(); }");
        Assert.False(without.Model.Resilience.RegistersHttpResilienceHandler);

        var with = KnowledgeCompilation.Of(
            "class C { void M(object services) { } }",
            """
            using Microsoft.Extensions.DependencyInjection;
            static class Setup
            {
                static IHttpClientBuilder AddStandardResilienceHandler(this IHttpClientBuilder builder) => builder;
                static void Register(IServiceCollection services) => services.AddHttpClient("weather").AddStandardResilienceHandler();
            }
            """);
        Assert.True(with.Model.Resilience.RegistersHttpResilienceHandler);
    }

    [Fact]
    public void Factory_clients_are_traced_to_their_AddHttpClient_registrations()
    {
        var k = KnowledgeCompilation.Of("""
            using System.Net.Http;
            using System.Threading.Tasks;
            using Microsoft.Extensions.DependencyInjection;
            static class Setup
            {
                public static void Register(IServiceCollection services, string configured)
                {
                    services.AddHttpClient("crm");
                    services.AddHttpClient(nameof(Names.Billing));
                    services.AddHttpClient<Tools>(client => client.Timeout = System.TimeSpan.FromSeconds(5));
                    services.AddHttpClient(configured);
                    services.ConfigureHttpClientDefaults(builder => builder.Services.AddHttpClient("inside"));
                }
            }
            static class Names { public const string Billing = "Billing"; }
            class Tools
            {
                private readonly HttpClient _http;
                private readonly IHttpClientFactory _factory;
                public Tools(HttpClient http, IHttpClientFactory factory) { _http = http; _factory = factory; }

                async Task M(string name)
                {
                    await _factory.CreateClient("crm").GetStringAsync("u");
                    await _factory.CreateClient(Names.Billing).GetStringAsync("u");
                    await _http.GetStringAsync("u");
                    await _factory.CreateClient().GetStringAsync("u");
                    await _factory.CreateClient("other").GetStringAsync("u");
                    await _factory.CreateClient(name).GetStringAsync("u");
                    await _factory.CreateClient("inside").GetStringAsync("u");
                    await new HttpClient().GetStringAsync("u");
                }
            }
            """);
        var registrations = k.Calls("Tools", "M").OfType<IInvocationOperation>().Where(i => i.TargetMethod.Name == "GetStringAsync")
            .Select(i => string.Join(" | ", k.Model.Resilience.FactoryClientRegistrations(i.Instance!).Select(r => r.ToString())))
            .ToArray();
        Assert.Equal(
            new[]
            {
                "services.AddHttpClient(\"crm\")",
                "services.AddHttpClient(nameof(Names.Billing))",
                "services.AddHttpClient<Tools>(client => client.Timeout = System.TimeSpan.FromSeconds(5))",
                "", "", "", "", "",
            },
            registrations);
    }
}
