using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes;
using AgentSafety.Tests.Verification;
using Microsoft.CodeAnalysis;
using static AgentSafety.Tests.Verification.ExpectedDiagnostic;

namespace AgentSafety.Tests.Rules;

/// <summary>AGS002 — model and tool calls with no retry or fallback. Reads like docs/rules/AGS002.md.</summary>
public class UnprotectedCallTests
{
    private const string Id = "AGS002";
    private const string PipelineFix = UnprotectedCallCodeFixProvider.ResiliencePipelineKey;
    private const string HelperFix = UnprotectedCallCodeFixProvider.RetryWithBackoffKey;
    private const string HandlerFix = UnprotectedCallCodeFixProvider.StandardResilienceHandlerKey;

    private static RuleTest Test(params string[] sources)
    {
        var test = RuleTest.For<UnprotectedCallAnalyzer, UnprotectedCallCodeFixProvider>();
        foreach (var source in sources)
        {
            test.WithSource(source);
        }

        return test;
    }

    // ---------------------------------------------------------------- outbound calls: models and agents

    [Fact]
    public Task Chat_client_call_is_reported_with_the_message() => Test("""
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Agent(IChatClient chatClient)
        {
            async Task<string> AnswerAsync(string question, CancellationToken cancellationToken)
            {
                var response = await {|#0:chatClient.GetResponseAsync(question, cancellationToken: cancellationToken)|};
                return response.Text;
            }
        }
        """).Expect(Diagnostic(Id).At(0)
            .WithMessage("'IChatClient.GetResponseAsync' can fail transiently (rate limit, timeout, outage) and has no retry or fallback")
            .WithSeverity(DiagnosticSeverity.Warning)).RunAsync();

    [Fact]
    public Task Chat_client_interface_method_with_a_message_list_is_reported() => Test("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Agent
        {
            async Task<ChatResponse> AskAsync(IChatClient client, List<ChatMessage> history)
                => await [|client.GetResponseAsync(history)|];
        }
        """).RunAsync();

    [Fact]
    public Task Streaming_chat_call_is_reported_without_a_fix() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Agent
        {
            async Task<string> StreamAsync(IChatClient client, string question)
            {
                var text = "";
                await foreach (var update in {|#0:client.GetStreamingResponseAsync(question)|})
                {
                    text += update.Text;
                }
                return text;
            }
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("IChatClient.GetStreamingResponseAsync"))
        .WithoutFix(PipelineFix).WithoutFix(HelperFix).RunAsync();

    [Fact]
    public Task Structured_output_call_is_reported() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        record Plan(string[] Steps);
        class Planner
        {
            async Task<Plan> PlanAsync(IChatClient client, string goal)
                => (await {|#0:client.GetResponseAsync<Plan>(goal)|}).Result;
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("IChatClient.GetResponseAsync")).RunAsync();

    [Fact]
    public Task Agent_runs_are_reported_streaming_included() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Agents.AI;
        class Orchestrator
        {
            async Task<string> DelegateAsync(AIAgent researcher, string task)
            {
                var response = await {|#0:researcher.RunAsync(task)|};
                await foreach (var update in {|#1:researcher.RunStreamingAsync(task)|}) { }
                return response.Text;
            }
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("AIAgent.RunAsync"),
            Diagnostic(Id).At(1).WithArguments("AIAgent.RunStreamingAsync")).RunAsync();

    // ---------------------------------------------------------------- outbound calls: tools

    [Fact]
    public Task Mcp_client_CallToolAsync_is_reported() => Test("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using ModelContextProtocol.Client;
        class Router
        {
            async Task<bool> LookupAsync(McpClient client, string city)
            {
                var result = await {|#0:client.CallToolAsync("get_forecast", new Dictionary<string, object?> { ["city"] = city })|};
                return result.IsError != true;
            }
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("McpClient.CallToolAsync")).RunAsync();

    [Fact]
    public Task Mcp_client_tool_calls_are_reported_but_listing_is_not() => Test("""
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using ModelContextProtocol.Client;
        class Router
        {
            async Task<object?> RunFirstToolAsync(McpClient client, CancellationToken cancellationToken)
            {
                var tools = await client.ListToolsAsync(cancellationToken: cancellationToken);
                var prompt = await client.GetPromptAsync("summarize", cancellationToken: cancellationToken);
                var resource = await client.ReadResourceAsync("file:///readme.md", cancellationToken: cancellationToken);
                var tool = tools.First();
                await {|#0:tool.CallAsync(cancellationToken: cancellationToken)|};
                return await {|#1:tool.InvokeAsync(new AIFunctionArguments(), cancellationToken)|};
            }
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("McpClientTool.CallAsync"),
            Diagnostic(Id).At(1).WithArguments("AIFunction.InvokeAsync")).RunAsync();

    [Fact]
    public Task An_AIFunction_from_elsewhere_is_reported() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Executor
        {
            private readonly AIFunction _search;
            Executor(AIFunction search) => _search = search;
            async Task<object?> SearchAsync(AIFunctionArguments arguments) => await [|_search.InvokeAsync(arguments)|];
        }
        """).RunAsync();

    [Fact]
    public Task An_AIFunction_created_in_the_same_method_runs_in_process() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class LocalTools
        {
            async Task<object?> AddAsync()
            {
                var add = AIFunctionFactory.Create((int a, int b) => a + b, "add");
                return await add.InvokeAsync(new AIFunctionArguments { ["a"] = 1, ["b"] = 2 });
            }
        }
        """).RunAsync();

    [Fact]
    public Task Mcp_client_before_0_5_is_reported() => Test("""
        using System.Threading.Tasks;
        using ModelContextProtocol.Client;
        using ModelContextProtocol.Protocol;
        class Router
        {
            async Task<CallToolResponse> EchoAsync(IMcpClient client) => await {|#0:client.CallToolAsync("echo", null!)|};
        }
        """).WithoutReference("ModelContextProtocol").WithOlderPackage("ModelContextProtocol.Core@0.2.0-preview.3")
        .Expect(Diagnostic(Id).At(0).WithArguments("IMcpClient.CallToolAsync")).RunAsync();

    [Fact]
    public Task Semantic_kernel_function_invocations_are_reported() => Test("""
        using System.Threading.Tasks;
        using Microsoft.SemanticKernel;
        class Planner
        {
            async Task<string> RunAsync(Kernel kernel, KernelFunction function)
            {
                var first = await {|#0:kernel.InvokeAsync(function)|};
                var second = await {|#1:function.InvokeAsync(kernel)|};
                await foreach (var chunk in {|#2:kernel.InvokeStreamingAsync(function)|}) { }
                return first.ToString() + second;
            }
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Kernel.InvokeAsync"),
            Diagnostic(Id).At(1).WithArguments("KernelFunction.InvokeAsync"),
            Diagnostic(Id).At(2).WithArguments("Kernel.InvokeStreamingAsync")).RunAsync();

    [Fact]
    public Task Semantic_kernel_prompt_and_chat_calls_are_reported_its_connectors_turn_the_sdk_retry_off() => Test("""
        using System.Threading.Tasks;
        using Microsoft.SemanticKernel;
        using Microsoft.SemanticKernel.ChatCompletion;
        class Writer
        {
            async Task<string> WriteAsync(Kernel kernel, IChatCompletionService chat, ChatHistory history)
            {
                var poem = await {|#0:kernel.InvokePromptAsync("Write a poem about {{$topic}}")|};
                var reply = await {|#1:chat.GetChatMessageContentAsync(history)|};
                var haiku = KernelFunctionFactory.CreateFromPrompt("Write a haiku about {{$topic}}");
                var short_ = await {|#2:haiku.InvokeAsync(kernel)|};
                return poem.ToString() + reply + short_;
            }
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Kernel.InvokePromptAsync"),
            Diagnostic(Id).At(1).WithArguments("IChatCompletionService.GetChatMessageContentAsync"),
            Diagnostic(Id).At(2).WithArguments("KernelFunction.InvokeAsync")).RunAsync();

    [Fact]
    public Task Semantic_kernel_functions_made_from_a_method_run_in_process_and_are_not_reported() => Test("""
        using System.Threading.Tasks;
        using Microsoft.SemanticKernel;
        class Writer
        {
            async Task<string> ShoutAsync(Kernel kernel)
            {
                var upper = KernelFunctionFactory.CreateFromMethod((string s) => s.ToUpperInvariant());
                var shouted = await upper.InvokeAsync(kernel);
                return shouted.ToString();
            }
        }
        """).RunAsync();

    // Semantic Kernel on the samples' shapes (issue #16): connectors given the application's client, plugins from types.

    [Fact]
    public Task Semantic_kernel_connector_registered_or_given_an_http_client_does_not_retry_and_its_calls_are_reported() => Test("""
        using System.Threading.Tasks;
        using Microsoft.SemanticKernel;
        using Microsoft.SemanticKernel.ChatCompletion;
        using Microsoft.SemanticKernel.Connectors.OpenAI;
        class Writer
        {
            async Task<string> WriteAsync(string apiKey, ChatHistory history, System.Net.Http.HttpClient http)
            {
                var kernel = Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-4o", apiKey).Build();
                var poem = await {|#0:kernel.InvokePromptAsync("Write a poem")|};
                var builder = Kernel.CreateBuilder();
                builder.AddOpenAIChatCompletion("gpt-4o", apiKey);
                var second = builder.Build();
                var chat = second.GetRequiredService<IChatCompletionService>();
                var reply = await {|#1:chat.GetChatMessageContentAsync(history)|};
                var service = new OpenAIChatCompletionService("gpt-4o", apiKey, httpClient: http);
                var direct = await {|#2:service.GetChatMessageContentAsync(history)|};
                OpenAIChatCompletionService either = apiKey.Length > 0 ? new("gpt-4o", apiKey) : new("gpt-4o", apiKey, httpClient: http);
                var chosen = await {|#5:either.GetChatMessageContentAsync(history)|};
                var haiku = kernel.CreateFunctionFromPrompt("Write a haiku");
                var short_ = await {|#3:kernel.InvokeAsync(haiku)|};
                kernel.ImportPluginFromPromptDirectory(System.IO.Path.Combine("Plugins", "FunPlugin"));
                var excuse = await {|#4:kernel.InvokeAsync(kernel.Plugins["FunPlugin"]["Excuses"])|};
                return poem.ToString() + reply + direct + short_ + excuse + chosen;
            }
        }
        """).Expect(
            Diagnostic(Id).At(5).WithArguments("IChatCompletionService.GetChatMessageContentAsync"),
            Diagnostic(Id).At(4).WithArguments("Kernel.InvokeAsync"),
            Diagnostic(Id).At(0).WithArguments("Kernel.InvokePromptAsync"),
            Diagnostic(Id).At(1).WithArguments("IChatCompletionService.GetChatMessageContentAsync"),
            Diagnostic(Id).At(2).WithArguments("IChatCompletionService.GetChatMessageContentAsync"),
            Diagnostic(Id).At(3).WithArguments("Kernel.InvokeAsync")).RunAsync();

    [Fact]
    public Task Semantic_kernel_connector_given_the_applications_openai_client_or_created_without_http_client_retries() => Test("""
        using System;
        using System.ClientModel;
        using System.IO;
        using System.Threading.Tasks;
        using Azure.AI.OpenAI;
        using Microsoft.SemanticKernel;
        using Microsoft.SemanticKernel.ChatCompletion;
        using Microsoft.SemanticKernel.Connectors.OpenAI;
        using OpenAI;
        static class ReducerExtensions
        {
            public static IChatCompletionService Reduced(this IChatCompletionService service) => service;
        }
        class Writer
        {
            async Task<string> WriteAsync(string apiKey, ChatHistory history)
            {
                var client = new OpenAIClient(new ApiKeyCredential(apiKey));
                var kernel = Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-4o", client).Build();
                var poem = await kernel.InvokePromptAsync("Write a poem");
                var haiku = kernel.CreateFunctionFromPrompt("Write a haiku");
                var short_ = await kernel.InvokeAsync(haiku);
                var again = await haiku.InvokeAsync(kernel);
                kernel.ImportPluginFromPromptDirectory(Path.Combine("Plugins", "FunPlugin"));
                var excuse = await kernel.InvokeAsync(kernel.Plugins["FunPlugin"]["Excuses"]);

                var builder = Kernel.CreateBuilder();
                builder.AddOpenAIChatCompletion("gpt-4o", new AzureOpenAIClient(new Uri("https://example.openai.azure.com"), new ApiKeyCredential(apiKey)));
                var azure = builder.Build();
                var chat = azure.GetRequiredService<IChatCompletionService>();
                var reply = await chat.GetChatMessageContentAsync(history);
                var story = await azure.InvokePromptAsync("Write a story");

                var service = new OpenAIChatCompletionService("gpt-4o", client);
                var direct = await service.GetChatMessageContentAsync(history);
                // Created directly with no HttpClient, the connector builds its client with the SDK's default retry.
                var plain = new OpenAIChatCompletionService("gpt-4o", apiKey);
                var withReducer = plain.Reduced();
                var reduced = await withReducer.GetChatMessageContentAsync(history);
                OpenAIChatCompletionService either = apiKey.Length > 0 ? new("gpt-4o", apiKey) : new("gpt-4o", client);
                var chosen = await either.GetChatMessageContentAsync(history);
                return poem.ToString() + short_ + again + excuse + reply + story + direct + reduced + chosen;
            }
        }
        """).RunAsync();

    [Fact]
    public Task Semantic_kernel_chat_completion_service_decorator_forwarding_to_its_inner_service_is_plumbing() => Test("""
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.SemanticKernel;
        using Microsoft.SemanticKernel.ChatCompletion;
        // As in Semantic Kernel's ChatCompletionServiceWithReducer sample.
        sealed class ReducingService(IChatCompletionService service, IChatHistoryReducer reducer) : IChatCompletionService
        {
            public IReadOnlyDictionary<string, object?> Attributes => service.Attributes;

            public async Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
            {
                var reduced = await reducer.ReduceAsync(chatHistory, cancellationToken) is { } messages ? new ChatHistory(messages) : chatHistory;
                return await service.GetChatMessageContentsAsync(reduced, executionSettings, kernel, cancellationToken);
            }

            public IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
                => service.GetStreamingChatMessageContentsAsync(chatHistory, executionSettings, kernel, cancellationToken);
        }
        class Caller(IChatCompletionService service)
        {
            public Task<ChatMessageContent> AskAsync(ChatHistory history) => [|service.GetChatMessageContentAsync(history)|];
        }
        """).RunAsync();

    [Fact]
    public Task Semantic_kernel_connectors_use_the_services_http_client_so_a_handler_on_every_client_protects_them() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.SemanticKernel;
        // As in Semantic Kernel's HttpClient_Resiliency sample.
        class Writer
        {
            async Task<string> WriteAsync(string apiKey)
            {
                IKernelBuilder builder = Kernel.CreateBuilder();
                builder.Services.ConfigureHttpClientDefaults(c => c.AddStandardResilienceHandler());
                builder.Services.AddOpenAIChatCompletion("gpt-4", apiKey);
                Kernel kernel = builder.Build();
                return (await kernel.InvokePromptAsync("How do I add a standard resilience handler?")).ToString();
            }
        }
        """).RunAsync();

    [Fact]
    public Task Semantic_kernel_connectors_are_not_protected_by_a_handler_on_one_named_client_or_on_another_builder() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.SemanticKernel;
        using Microsoft.SemanticKernel.ChatCompletion;
        class Writer
        {
            async Task<string> WriteAsync(string apiKey)
            {
                IKernelBuilder builder = Kernel.CreateBuilder();
                builder.Services.AddHttpClient("crm").AddStandardResilienceHandler();
                builder.Services.AddOpenAIChatCompletion("gpt-4", apiKey);
                Kernel kernel = builder.Build();
                var chat = kernel.GetRequiredService<IChatCompletionService>();
                var reply = await [|chat.GetChatMessageContentAsync(new ChatHistory("Hi"))|];
                return (await [|kernel.InvokePromptAsync("Write a poem")|]).ToString() + reply;
            }

            async Task<string> ResilientAsync(string apiKey)
            {
                IKernelBuilder builder = Kernel.CreateBuilder();
                builder.Services.ConfigureHttpClientDefaults(c => c.AddStandardResilienceHandler());
                builder.Services.AddOpenAIChatCompletion("gpt-4", apiKey);
                return (await builder.Build().InvokePromptAsync("Write a haiku")).ToString();
            }

            async Task<string> PlainAsync(string apiKey)
            {
                var kernel = Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-4", apiKey).Build();
                return (await [|kernel.InvokePromptAsync("Write a story")|]).ToString();
            }
        }
        """).RunAsync();

    [Fact]
    public Task Semantic_kernel_builder_with_one_connector_over_an_api_key_is_reported() => Test("""
        using System.ClientModel;
        using System.Threading.Tasks;
        using Microsoft.SemanticKernel;
        using OpenAI;
        class Writer
        {
            async Task<string> WriteAsync(string apiKey)
            {
                var builder = Kernel.CreateBuilder();
                builder.AddOpenAIChatCompletion("gpt-4o", new OpenAIClient(new ApiKeyCredential(apiKey)), serviceId: "retrying");
                builder.AddOpenAIChatCompletion("gpt-4o-mini", apiKey, serviceId: "plain");
                var kernel = builder.Build();
                return (await [|kernel.InvokePromptAsync("Write a poem")|]).ToString();
            }
        }
        """).RunAsync();

    [Fact]
    public Task Semantic_kernel_injected_kernel_follows_the_registered_connectors() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.SemanticKernel;
        using OpenAI;
        static class Setup
        {
            public static void Register(IServiceCollection services, OpenAIClient client)
            {
                services.AddKernel();
                services.AddOpenAIChatCompletion("gpt-4o", client);
            }
        }
        class Writer(Kernel kernel)
        {
            async Task<string> WriteAsync() => (await kernel.InvokePromptAsync("Write a poem")).ToString();
        }
        """).RunAsync();

    [Fact]
    public Task Semantic_kernel_injected_kernel_with_a_connector_over_an_api_key_is_reported() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.SemanticKernel;
        static class Setup
        {
            public static void Register(IServiceCollection services, string apiKey)
            {
                services.AddKernel();
                services.AddOpenAIChatCompletion("gpt-4o", apiKey);
            }
        }
        class Writer(Kernel kernel)
        {
            async Task<string> WriteAsync() => (await [|kernel.InvokePromptAsync("Write a poem")|]).ToString();
        }
        """).RunAsync();

    [Fact]
    public Task Semantic_kernel_functions_of_a_plugin_imported_from_a_source_type_run_in_process() => Test("""
        using System.ComponentModel;
        using System.Threading.Tasks;
        using Microsoft.SemanticKernel;
        public sealed class MathPlugin
        {
            [KernelFunction, Description("Adds two numbers")]
            public int Add(int a, int b) => a + b;
        }
        class Calculator
        {
            async Task<string> RunAsync(Kernel kernel)
            {
                var plugin = kernel.ImportPluginFromType<MathPlugin>();
                var sum = await kernel.InvokeAsync(plugin[nameof(MathPlugin.Add)], new() { ["a"] = 1, ["b"] = 2 });
                var byName = await kernel.InvokeAsync(kernel.Plugins["MathPlugin"]["Add"]);
                var fromObject = kernel.ImportPluginFromObject(new MathPlugin(), "Calc");
                var viaFunction = await fromObject["Add"].InvokeAsync(kernel);
                var byStrings = await kernel.InvokeAsync("Calc", "Add");
                var created = KernelPluginFactory.CreateFromType<MathPlugin>("Math2");
                var third = await created["Add"].InvokeAsync(kernel);
                kernel.Plugins.AddFromType<MathPlugin>("Math3");
                var fourth = await kernel.InvokeAsync(kernel.Plugins.GetFunction("Math3", "Add"));
                return $"{sum}{byName}{viaFunction}{byStrings}{third}{fourth}";
            }
        }
        """).RunAsync();

    [Fact]
    public Task Semantic_kernel_functions_of_a_plugin_not_imported_from_a_source_type_are_reported() => Test("""
        using System.Threading.Tasks;
        using Microsoft.SemanticKernel;
        public sealed class MathPlugin
        {
            [KernelFunction]
            public int Add(int a, int b) => a + b;
        }
        class Writer
        {
            async Task<string> RunAsync(Kernel kernel, KernelPlugin given)
            {
                kernel.ImportPluginFromFunctions("Writer", new[] { kernel.CreateFunctionFromPrompt("Write a poem", functionName: "Poem") });
                var poem = await {|#0:kernel.InvokeAsync("Writer", "Poem")|};
                var fromParameter = await {|#1:kernel.InvokeAsync(given["Poem"])|};
                kernel.ImportPluginFromType<MathPlugin>("Shared");
                kernel.ImportPluginFromPromptDirectory("./Prompts/Shared", "Shared");
                var shared = await {|#2:kernel.InvokeAsync(kernel.Plugins["Shared"]["Add"])|};
                var unknown = await {|#3:kernel.InvokeAsync("Elsewhere", "Add")|};
                return $"{poem}{fromParameter}{shared}{unknown}";
            }
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Kernel.InvokeAsync"),
            Diagnostic(Id).At(1).WithArguments("Kernel.InvokeAsync"),
            Diagnostic(Id).At(2).WithArguments("Kernel.InvokeAsync"),
            Diagnostic(Id).At(3).WithArguments("Kernel.InvokeAsync")).RunAsync();

    // Semantic Kernel on the samples' shapes, second round (issue #16): retries and fallbacks the samples build themselves.

    [Fact]
    public Task Semantic_kernel_function_invocation_filter_that_calls_next_again_when_it_fails_is_a_retry() => Test("""
        using System;
        using System.Collections.Generic;
        using System.Net;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.SemanticKernel;
        // As in Semantic Kernel's RetryWithFilters sample: the filter switches to a fallback model and invokes the function again.
        sealed class RetryFilter(string fallbackModelId) : IFunctionInvocationFilter
        {
            public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
            {
                try
                {
                    await next(context);
                }
                catch (HttpOperationException exception) when (exception.StatusCode == HttpStatusCode.Unauthorized)
                {
                    context.Arguments.ExecutionSettings![PromptExecutionSettings.DefaultServiceId].ModelId = fallbackModelId;
                    await next(context);
                }
            }
        }
        // The streaming variant hands next to a helper that calls it again inside a loop's catch.
        sealed class StreamingRetryFilter : IFunctionInvocationFilter
        {
            public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
            {
                await next(context);
                context.Result = new FunctionResult(context.Result, Retried(context, next));
            }

            private async IAsyncEnumerable<StreamingKernelContent> Retried(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> retry)
            {
                var enumerator = context.Result.GetValue<IAsyncEnumerable<StreamingKernelContent>>()!.GetAsyncEnumerator();
                while (true)
                {
                    try
                    {
                        if (!await enumerator.MoveNextAsync())
                        {
                            break;
                        }
                    }
                    catch (HttpOperationException)
                    {
                        await retry(context);
                        enumerator = context.Result.GetValue<IAsyncEnumerable<StreamingKernelContent>>()!.GetAsyncEnumerator();
                        continue;
                    }

                    yield return enumerator.Current;
                }
            }
        }
        class Writer
        {
            async Task<string> WriteAsync(string apiKey)
            {
                var builder = Kernel.CreateBuilder();
                builder.AddOpenAIChatCompletion(modelId: "gpt-4", apiKey: apiKey);
                builder.AddOpenAIChatCompletion(modelId: "gpt-4o-mini", apiKey: apiKey);
                builder.Services.AddSingleton<IFunctionInvocationFilter>(new RetryFilter("gpt-4o-mini"));
                var kernel = builder.Build();
                var result = await kernel.InvokePromptAsync("Hi, can you help me today?");
                var haiku = kernel.CreateFunctionFromPrompt("Write a haiku");
                var short_ = await kernel.InvokeAsync(haiku);
                return result.ToString() + short_;
            }

            async Task StreamAsync(string apiKey)
            {
                var builder = Kernel.CreateBuilder();
                builder.AddOpenAIChatCompletion(modelId: "gpt-4", apiKey: apiKey);
                builder.Services.AddSingleton<IFunctionInvocationFilter, StreamingRetryFilter>();
                var kernel = builder.Build();
                await foreach (var chunk in kernel.InvokePromptStreamingAsync("Hi")) { }
            }

            async Task<string> AddedToTheKernelAsync(string apiKey)
            {
                var kernel = Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-4", apiKey).Build();
                kernel.FunctionInvocationFilters.Add(new RetryFilter("gpt-4o-mini"));
                return (await kernel.InvokePromptAsync("Hi")).ToString();
            }
        }
        """).RunAsync();

    [Fact]
    public Task Semantic_kernel_filters_that_do_not_invoke_the_function_again_or_wrap_no_model_call_do_not_protect() => Test("""
        using System;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.SemanticKernel;
        using Microsoft.SemanticKernel.ChatCompletion;
        sealed class LoggingFilter : IFunctionInvocationFilter
        {
            public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
            {
                try
                {
                    await next(context);
                }
                catch (Exception exception)
                {
                    Console.WriteLine(exception.Message);
                    throw;
                }
            }
        }
        // An auto function invocation filter's next runs a tool the model asked for, not the model call.
        sealed class ToolRetryFilter : IAutoFunctionInvocationFilter
        {
            public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
            {
                try
                {
                    await next(context);
                }
                catch (HttpOperationException)
                {
                    await next(context);
                }
            }
        }
        sealed class RetryFilter : IFunctionInvocationFilter
        {
            public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
            {
                try { await next(context); }
                catch (HttpOperationException) { await next(context); }
            }
        }
        class Writer
        {
            async Task<string> WriteAsync(string apiKey)
            {
                var builder = Kernel.CreateBuilder();
                builder.AddOpenAIChatCompletion("gpt-4", apiKey);
                builder.Services.AddSingleton<IFunctionInvocationFilter>(new LoggingFilter());
                builder.Services.AddSingleton<IAutoFunctionInvocationFilter>(new ToolRetryFilter());
                var kernel = builder.Build();
                return (await {|#0:kernel.InvokePromptAsync("Hi")|}).ToString();
            }

            async Task<string> ChatAsync(string apiKey)
            {
                // A function filter runs around kernel functions, not around the chat completion service's own calls.
                var builder = Kernel.CreateBuilder();
                builder.AddOpenAIChatCompletion("gpt-4", apiKey);
                builder.Services.AddSingleton<IFunctionInvocationFilter>(new RetryFilter());
                var kernel = builder.Build();
                var chat = kernel.GetRequiredService<IChatCompletionService>();
                var reply = await {|#1:chat.GetChatMessageContentAsync(new ChatHistory("Hi"))|};
                return reply.ToString();
            }

            async Task<string> OtherBuilderAsync(string apiKey)
            {
                var filtered = Kernel.CreateBuilder();
                filtered.Services.AddSingleton<IFunctionInvocationFilter>(new RetryFilter());
                var plain = Kernel.CreateBuilder();
                plain.AddOpenAIChatCompletion("gpt-4", apiKey);
                var kernel = plain.Build();
                return (await {|#2:kernel.InvokePromptAsync("Hi")|}).ToString();
            }
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Kernel.InvokePromptAsync"),
            Diagnostic(Id).At(1).WithArguments("IChatCompletionService.GetChatMessageContentAsync"),
            Diagnostic(Id).At(2).WithArguments("Kernel.InvokePromptAsync")).RunAsync();

    [Fact]
    public Task Semantic_kernel_function_made_from_a_delegate_forwarding_to_the_function_it_wraps_is_plumbing() => Test("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.SemanticKernel;
        // As in Semantic Kernel's TransformPlugin sample and GettingStarted's pipeline combinator.
        static class Wrappers
        {
            public static KernelFunction WithArguments(KernelFunction function, Action<KernelArguments> update)
            {
                var method = (Kernel kernel, KernelArguments arguments, CancellationToken cancellationToken) =>
                {
                    update(arguments);
                    return function.InvokeAsync(kernel, arguments, cancellationToken);
                };
                return KernelFunctionFactory.CreateFromMethod(method, new KernelFunctionFromMethodOptions { FunctionName = function.Name });
            }

            public static KernelFunction Pipe(KernelFunction[] functions)
                => KernelFunctionFactory.CreateFromMethod(async (Kernel kernel, KernelArguments arguments) =>
                {
                    FunctionResult? result = null;
                    for (int i = 0; i < functions.Length; i++)
                    {
                        result = await functions[i].InvokeAsync(kernel, arguments);
                    }

                    return result;
                }, "pipeline");

            public static KernelFunction Logged(Kernel kernel, KernelFunction inner)
                => kernel.CreateFunctionFromMethod(async (KernelArguments arguments) =>
                {
                    Console.WriteLine(inner.Name);
                    return await kernel.InvokeAsync(inner, arguments);
                });
        }
        """).RunAsync();

    [Fact]
    public Task Semantic_kernel_function_invoked_from_a_delegate_that_is_not_its_wrapper_is_reported() => Test("""
        using System;
        using System.Threading.Tasks;
        using Microsoft.SemanticKernel;
        static class Wrappers
        {
            public static KernelFunction Summarizer()
                => KernelFunctionFactory.CreateFromMethod(async (Kernel kernel, string text) =>
                {
                    // A prompt function the delegate creates and runs itself: its own model call.
                    var summarize = KernelFunctionFactory.CreateFromPrompt("Summarize: {{$text}}");
                    return (await {|#0:summarize.InvokeAsync(kernel, new() { ["text"] = text })|}).ToString();
                });

            public static Func<Kernel, Task<FunctionResult>> Later(KernelFunction function)
                // Captured, but the delegate is no kernel function: a caller of it runs the function unprotected.
                => kernel => {|#1:function.InvokeAsync(kernel)|};

            public static KernelFunction Given(KernelFunction function)
                // A function the delegate is given as a parameter at each call is not the one it wraps.
                => KernelFunctionFactory.CreateFromMethod((Kernel kernel, KernelFunction other) => {|#2:other.InvokeAsync(kernel)|});
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("KernelFunction.InvokeAsync"),
            Diagnostic(Id).At(1).WithArguments("KernelFunction.InvokeAsync"),
            Diagnostic(Id).At(2).WithArguments("KernelFunction.InvokeAsync")).RunAsync();

    [Fact]
    public Task Call_in_a_delegate_a_test_asserts_throws_is_the_expected_failure_xunit() => Test("""
        using System.Threading.Tasks;
        using Microsoft.SemanticKernel;
        using Xunit;
        // As in Semantic Kernel's Connectors_WithMultipleLLMs sample: asserting that an unknown service id throws.
        public class Samples
        {
            public async Task UnknownServiceThrowsAsync()
            {
                var kernel = Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-4", "key").Build();
                await Assert.ThrowsAsync<KernelException>(async () => await kernel.InvokePromptAsync("Hi", new(new PromptExecutionSettings { ServiceId = "NotFound" })));
                await Assert.ThrowsAnyAsync<System.Exception>(() => kernel.InvokePromptAsync("Hi"));
            }

            public async Task AnswersAsync()
            {
                var kernel = Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-4", "key").Build();
                Assert.NotNull(await {|#0:kernel.InvokePromptAsync("Hi")|});
                System.Func<Task> answer = async () => await {|#1:kernel.InvokePromptAsync("Hi")|};
                await answer();
            }
        }
        """).WithTestFrameworkReference().Expect(
            Diagnostic(Id).At(0).WithArguments("Kernel.InvokePromptAsync"),
            Diagnostic(Id).At(1).WithArguments("Kernel.InvokePromptAsync")).RunAsync();

    [Fact]
    public Task Call_in_a_delegate_a_test_asserts_throws_is_the_expected_failure_fluent_assertions() => Test("""
        using System;
        using System.Threading.Tasks;
        using FluentAssertions;
        using Microsoft.Extensions.AI;
        public class Samples
        {
            public async Task RejectsAsync(IChatClient client)
            {
                Func<Task> act = async () => await client.GetResponseAsync("Hi");
                await act.Should().ThrowAsync<InvalidOperationException>();
                await client.Awaiting(c => c.GetResponseAsync("Hi")).Should().ThrowExactlyAsync<InvalidOperationException>();
                await FluentActions.Awaiting(() => client.GetResponseAsync("Hi")).Should().ThrowAsync<Exception>();
            }

            public async Task AnswersAsync(IChatClient client)
            {
                Func<Task> act = async () => await {|#0:client.GetResponseAsync("Hi")|};
                await act.Should().NotThrowAsync();
                await client.Awaiting(c => {|#1:c.GetResponseAsync("Hi")|}).Should().NotThrowAsync();
            }
        }
        """).WithOlderPackage("FluentAssertions@7.2.2").Expect(
            Diagnostic(Id).At(0).WithArguments("IChatClient.GetResponseAsync"),
            Diagnostic(Id).At(1).WithArguments("IChatClient.GetResponseAsync")).RunAsync();

    [Fact]
    public Task Call_in_a_delegate_a_test_asserts_throws_is_the_expected_failure_nunit() => Test("""
        using System;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using NUnit.Framework;
        public class Samples
        {
            public async Task RejectsAsync(IChatClient client)
            {
                Assert.ThrowsAsync<InvalidOperationException>(async () => await client.GetResponseAsync("Hi"));
                Assert.CatchAsync(() => client.GetResponseAsync("Hi"));
                Assert.That(async () => await client.GetResponseAsync("Hi"), Throws.TypeOf<InvalidOperationException>());
            }

            public void Answers(IChatClient client)
            {
                Assert.That(async () => await {|#0:client.GetResponseAsync("Hi")|}, Is.Not.Null);
                Assert.DoesNotThrowAsync(async () => await {|#1:client.GetResponseAsync("Hi")|});
            }
        }
        """).WithOlderPackage("NUnit@4.6.1").Expect(
            Diagnostic(Id).At(0).WithArguments("IChatClient.GetResponseAsync"),
            Diagnostic(Id).At(1).WithArguments("IChatClient.GetResponseAsync")).RunAsync();

    [Fact]
    public Task Semantic_kernel_chat_completion_service_over_a_source_client_that_falls_back_over_its_inner_clients_is_protected() => Test("""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.SemanticKernel;
        using Microsoft.SemanticKernel.ChatCompletion;
        // As in Semantic Kernel's HybridCompletion_Fallback sample.
        sealed class FallbackChatClient(IList<IChatClient> chatClients) : IChatClient
        {
            public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            {
                for (int i = 0; i < chatClients.Count; i++)
                {
                    try
                    {
                        return await chatClients[i].GetResponseAsync(messages, options, cancellationToken);
                    }
                    catch (Exception) when (i < chatClients.Count - 1)
                    {
                        continue;
                    }
                }

                throw new InvalidOperationException("Neither of the chat clients could complete the inference.");
            }

            public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
            {
                for (int i = 0; i < chatClients.Count; i++)
                {
                    var enumerator = chatClients[i].GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
                    try
                    {
                        if (!await enumerator.MoveNextAsync())
                        {
                            yield break;
                        }
                    }
                    catch (Exception) when (i < chatClients.Count - 1)
                    {
                        continue;
                    }

                    yield return enumerator.Current;
                    while (await enumerator.MoveNextAsync())
                    {
                        yield return enumerator.Current;
                    }

                    break;
                }
            }

            public object? GetService(Type serviceType, object? serviceKey = null) => null;

            public void Dispose() { }
        }
        class Writer
        {
            async Task<string> RegisteredAsync(IChatClient primary, IChatClient secondary)
            {
                IKernelBuilder kernelBuilder = Kernel.CreateBuilder();
                kernelBuilder.Services.AddSingleton<IChatCompletionService>(sp =>
                {
                    IEnumerable<IChatClient> chatClients = sp.GetServices<IChatClient>();
                    return new FallbackChatClient(chatClients.ToList()).AsChatCompletionService();
                });
                Kernel kernel = kernelBuilder.Build();
                return (await kernel.InvokePromptAsync("Do I need an umbrella?")).ToString();
            }

            async Task StreamAsync(IChatClient primary, IChatClient secondary)
            {
                IChatCompletionService fallback = new FallbackChatClient([primary, secondary]).AsChatCompletionService();
                await foreach (var update in fallback.GetStreamingChatMessageContentsAsync("Do I need an umbrella?")) { }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Semantic_kernel_chat_completion_service_over_a_client_that_neither_retries_nor_falls_back_is_reported() => Test("""
        using System;
        using System.ClientModel;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.SemanticKernel;
        using Microsoft.SemanticKernel.ChatCompletion;
        using OpenAI;
        // Tries each client once in turn, but a failure ends the loop: no fallback.
        sealed class FirstChatClient(IList<IChatClient> chatClients) : IChatClient
        {
            public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            {
                foreach (var client in chatClients)
                {
                    try
                    {
                        return await client.GetResponseAsync(messages, options, cancellationToken);
                    }
                    catch (Exception exception)
                    {
                        Console.WriteLine(exception.Message);
                        throw;
                    }
                }

                throw new InvalidOperationException();
            }

            public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
                => chatClients[0].GetStreamingResponseAsync(messages, options, cancellationToken);

            public object? GetService(Type serviceType, object? serviceKey = null) => null;

            public void Dispose() { }
        }
        class Writer
        {
            async Task<string> RegisteredAsync(IChatClient primary, string apiKey)
            {
                IKernelBuilder kernelBuilder = Kernel.CreateBuilder();
                kernelBuilder.Services.AddSingleton<IChatCompletionService>(sp => new FirstChatClient([primary]).AsChatCompletionService());
                Kernel kernel = kernelBuilder.Build();
                var first = await {|#0:kernel.InvokePromptAsync("Hi")|};
                var injected = primary.AsChatCompletionService();
                var reply = await {|#1:injected.GetChatMessageContentAsync("Hi")|};
                // Over the OpenAI client, which retries by itself: not reported.
                var retrying = new OpenAIClient(new ApiKeyCredential(apiKey)).GetChatClient("gpt-4o").AsIChatClient().AsChatCompletionService();
                var second = await retrying.GetChatMessageContentAsync("Hi");
                return first.ToString() + reply + second;
            }
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Kernel.InvokePromptAsync"),
            Diagnostic(Id).At(1).WithArguments("IChatCompletionService.GetChatMessageContentAsync")).RunAsync();

    [Fact]
    public Task Semantic_kernel_services_the_application_registers_itself_decide_for_its_kernels() => Test("""
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.SemanticKernel;
        using Microsoft.SemanticKernel.ChatCompletion;
        using Microsoft.SemanticKernel.Connectors.OpenAI;
        using Microsoft.SemanticKernel.TextGeneration;
        // As in Semantic Kernel's HomeAutomation demo: a service created directly with no HttpClient keeps the SDK's retry.
        static class Startup
        {
            public static void Configure(IServiceCollection services, string model, string apiKey)
            {
                services.AddSingleton<IChatCompletionService>(sp => new OpenAIChatCompletionService(model, apiKey));
                services.AddKeyedTransient<Kernel>("HomeAutomationKernel", (sp, key) => new Kernel(sp, new KernelPluginCollection()));
            }
        }
        class Worker([FromKeyedServices("HomeAutomationKernel")] Kernel kernel)
        {
            private readonly Kernel _kernel = kernel;

            public async Task<string> AskAsync(string input)
            {
                var chat = _kernel.GetRequiredService<IChatCompletionService>();
                return (await chat.GetChatMessageContentAsync(input, kernel: _kernel)).ToString();
            }
        }
        // As in Semantic Kernel's Custom_TextGenerationService sample: a stub of the sample's own answers in process.
        sealed class StubTextGenerationService : ITextGenerationService
        {
            public IReadOnlyDictionary<string, object?> Attributes => new Dictionary<string, object?>();

            public async IAsyncEnumerable<StreamingTextContent> GetStreamingTextContentsAsync(string prompt, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
            {
                await Task.Delay(50, cancellationToken);
                yield return new StreamingTextContent("AI is awesome");
            }

            public Task<IReadOnlyList<TextContent>> GetTextContentsAsync(string prompt, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
                => Task.FromResult<IReadOnlyList<TextContent>>([new("AI is awesome")]);
        }
        class Writer
        {
            async Task<string> WriteAsync()
            {
                IKernelBuilder builder = Kernel.CreateBuilder();
                builder.Services.AddKeyedSingleton<ITextGenerationService>("myService1", new StubTextGenerationService());
                builder.Services.AddKeyedSingleton<ITextGenerationService>("myService2", (_, _) => new StubTextGenerationService());
                Kernel kernel = builder.Build();
                var paragraph = kernel.CreateFunctionFromPrompt("Write a paragraph about {{$input}}");
                return (await paragraph.InvokeAsync(kernel, new() { ["input"] = "AI" })).ToString();
            }
        }
        """).RunAsync();

    [Fact]
    public Task Semantic_kernel_services_the_application_registers_over_a_connector_that_does_not_retry_are_reported() => Test("""
        using System.Collections.Generic;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.SemanticKernel;
        using Microsoft.SemanticKernel.ChatCompletion;
        using Microsoft.SemanticKernel.Connectors.OpenAI;
        using Microsoft.SemanticKernel.TextGeneration;
        static class Startup
        {
            public static void Configure(IServiceCollection services, string model, string apiKey)
            {
                // Given an HttpClient, the connector turns the SDK's retry off.
                services.AddSingleton<IChatCompletionService>(sp => new OpenAIChatCompletionService(model, apiKey, httpClient: new HttpClient()));
                services.AddKeyedTransient<Kernel>("HomeAutomationKernel", (sp, key) => new Kernel(sp, new KernelPluginCollection()));
            }
        }
        class Worker([FromKeyedServices("HomeAutomationKernel")] Kernel kernel)
        {
            public async Task<string> AskAsync(string input)
            {
                var chat = kernel.GetRequiredService<IChatCompletionService>();
                return (await {|#0:chat.GetChatMessageContentAsync(input, kernel: kernel)|}).ToString();
            }
        }
        // A text generation service of the application's own that calls a remote model.
        sealed class RemoteTextGenerationService(HttpClient http) : ITextGenerationService
        {
            public IReadOnlyDictionary<string, object?> Attributes => new Dictionary<string, object?>();

            public IAsyncEnumerable<StreamingTextContent> GetStreamingTextContentsAsync(string prompt, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
                => throw new System.NotSupportedException();

            public async Task<IReadOnlyList<TextContent>> GetTextContentsAsync(string prompt, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
                => [new(await http.GetStringAsync("https://models.example/generate?prompt=" + prompt, cancellationToken))];
        }
        class Writer
        {
            async Task<string> WriteAsync()
            {
                IKernelBuilder builder = Kernel.CreateBuilder();
                builder.Services.AddSingleton<ITextGenerationService>(new RemoteTextGenerationService(new HttpClient()));
                Kernel kernel = builder.Build();
                var paragraph = kernel.CreateFunctionFromPrompt("Write a paragraph about {{$input}}");
                return (await {|#1:paragraph.InvokeAsync(kernel)|}).ToString();
            }
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("IChatCompletionService.GetChatMessageContentAsync"),
            Diagnostic(Id).At(1).WithArguments("KernelFunction.InvokeAsync")).RunAsync();

    [Fact]
    public Task Semantic_kernel_service_registered_as_another_registered_service_is_not_followed_back_into_the_registrations() => Test("""
        using System.Collections.Generic;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.SemanticKernel;
        using Microsoft.SemanticKernel.ChatCompletion;
        static class Startup
        {
            // Registrations resolving other services: what they resolve is not known from the registrations themselves.
            public static void Configure(IServiceCollection services)
            {
                services.AddSingleton<IChatCompletionService>(sp => sp.GetRequiredKeyedService<IChatCompletionService>("remote"));
                services.AddKeyedSingleton<IChatCompletionService>("remote", (sp, key) => sp.GetRequiredService<RemoteChatService>());
                services.AddSingleton(new HttpClient());
                services.AddSingleton<RemoteChatService>();
                services.AddTransient<Kernel>(sp => new Kernel(sp));
            }
        }
        sealed class RemoteChatService(HttpClient http) : IChatCompletionService
        {
            public IReadOnlyDictionary<string, object?> Attributes => new Dictionary<string, object?>();

            public async Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
                => [new(AuthorRole.Assistant, await http.GetStringAsync("https://models.example/chat", cancellationToken))];

            public IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
                => throw new System.NotSupportedException();
        }
        class Worker(Kernel kernel)
        {
            public async Task<string> AskAsync(string input)
                => (await {|#0:kernel.InvokePromptAsync(input)|}).ToString();
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("Kernel.InvokePromptAsync")).RunAsync();

    [Fact]
    public Task Semantic_kernel_passed_to_a_private_helper_is_judged_by_what_every_caller_passes() => Test("""
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.SemanticKernel;
        using Microsoft.SemanticKernel.ChatCompletion;
        // As in Semantic Kernel's QualityCheck demo: kernels over fake chat services of the sample's own, each handed to a private helper.
        static class Program
        {
            static async Task SummarizeAsync()
            {
                var builder = GetKernelBuilder();
                builder.Services.AddSingleton<IChatCompletionService>(new FakeChatCompletionService("extractive", "A summary."));
                var kernel = builder.Build();
                await InvokeAsync(kernel, "Summarize this.", "extractive");
            }

            static async Task TranslateAsync()
            {
                var builder = GetKernelBuilder();
                builder.Services.AddSingleton<IChatCompletionService>(new FakeChatCompletionService("translation", "A translation."));
                await InvokeAsync(builder.Build(), "Translate this.", "translation");
            }

            private static IKernelBuilder GetKernelBuilder() => Kernel.CreateBuilder();

            private static async Task InvokeAsync(Kernel kernel, string input, string modelId)
                => await kernel.InvokePromptAsync(input, new(new PromptExecutionSettings { ModelId = modelId }));
        }
        sealed class FakeChatCompletionService(string modelId, string result) : IChatCompletionService
        {
            public IReadOnlyDictionary<string, object?> Attributes => new Dictionary<string, object?> { ["ModelId"] = modelId };

            public Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
                => Task.FromResult<IReadOnlyList<ChatMessageContent>>([new(AuthorRole.Assistant, result)]);

            public async IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
            {
                await Task.Yield();
                yield return new StreamingChatMessageContent(AuthorRole.Assistant, result);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Semantic_kernel_passed_to_a_helper_some_caller_gives_a_kernel_without_retry_is_reported() => Test("""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.SemanticKernel;
        using Microsoft.SemanticKernel.ChatCompletion;
        class Samples
        {
            async Task RunAsync(string model, string apiKey)
            {
                var stubBuilder = Kernel.CreateBuilder();
                stubBuilder.Services.AddSingleton<IChatCompletionService>(new StubChatCompletionService());
                Kernel stub = stubBuilder.Build();
                // A key-registered connector: the registration gives it an HttpClient, retry off.
                Kernel remote = Kernel.CreateBuilder().AddOpenAIChatCompletion(model, apiKey).Build();

                await AskAsync(stub, "What color is the sky?");
                await AskAsync(remote, "What color is the sky?");
                await AskPublicAsync(stub, "What color is the sea?");
                await AskHandedOutAsync(stub, "What color is the grass?");
                Func<Kernel, string, Task<string>> ask = AskHandedOutAsync;
                await ask(remote, "What color is the grass?");
            }

            // One of its callers passes the remote kernel.
            private static async Task<string> AskAsync(Kernel kernel, string question)
                => (await {|#0:kernel.InvokePromptAsync(question)|}).ToString();

            // Callable from outside the compilation: its callers are not all known.
            public static async Task<string> AskPublicAsync(Kernel kernel, string question)
                => (await {|#1:kernel.InvokePromptAsync(question)|}).ToString();

            // Handed out as a delegate: its callers are not all known.
            private static async Task<string> AskHandedOutAsync(Kernel kernel, string question)
                => (await {|#2:kernel.InvokePromptAsync(question)|}).ToString();
        }
        sealed class StubChatCompletionService : IChatCompletionService
        {
            public IReadOnlyDictionary<string, object?> Attributes => new Dictionary<string, object?>();

            public Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
                => Task.FromResult<IReadOnlyList<ChatMessageContent>>([new(AuthorRole.Assistant, "Blue.")]);

            public IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
                => throw new NotSupportedException();
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Kernel.InvokePromptAsync"),
            Diagnostic(Id).At(1).WithArguments("Kernel.InvokePromptAsync"),
            Diagnostic(Id).At(2).WithArguments("Kernel.InvokePromptAsync")).RunAsync();

    [Fact]
    public Task Semantic_kernel_chat_clients_registered_with_a_key_and_model_calls_in_auto_function_filters_are_reported() => Test("""
        #pragma warning disable SKEXP0010, SKEXP0001 // Semantic Kernel's chat client registrations are experimental
        using System;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.SemanticKernel;
        using Microsoft.SemanticKernel.ChatCompletion;
        // As in Semantic Kernel's GettingStarted samples: AddOpenAIChatClient(model, apiKey) builds the OpenAIClient
        // over Semantic Kernel's own HttpClient, retry off.
        class Samples
        {
            async Task<string> AskAsync(string model, string apiKey)
            {
                IKernelBuilder builder = Kernel.CreateBuilder();
                builder.AddOpenAIChatClient(model, apiKey);
                Kernel kernel = builder.Build();
                return (await {|#0:kernel.InvokePromptAsync("What color is the sky?")|}).ToString();
            }
        }
        // As in OpenAI_ReasonedFunctionCalling: a filter asking the invoking kernel's model why it calls a function.
        sealed class ExplainFilter : IAutoFunctionInvocationFilter
        {
            public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
            {
                var chat = context.Kernel.GetRequiredService<IChatCompletionService>();
                var why = await {|#1:chat.GetChatMessageContentAsync(new ChatHistory("Why call " + context.Function.Name + "?"), kernel: context.Kernel)|};
                Console.WriteLine(why);
                await next(context);
            }
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Kernel.InvokePromptAsync"),
            Diagnostic(Id).At(1).WithArguments("IChatCompletionService.GetChatMessageContentAsync")).RunAsync();

    [Fact]
    public Task Semantic_kernel_function_assigned_once_with_a_null_coalescing_assignment_is_followed() => Test("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.SemanticKernel;
        // As in Semantic Kernel's MCP client demo: a handler function made from a delegate on first use.
        static class Handlers
        {
            public static Func<string, CancellationToken, Task<string>> Create(Kernel kernel, Func<Kernel, string, Task<string>> handle)
            {
                KernelFunction? handler = null;
                KernelFunction? summarizer = null;
                return async (request, cancellationToken) =>
                {
                    handler ??= KernelFunctionFactory.CreateFromMethod((string request) => handle(kernel, request), "Handler");
                    var handled = await handler.InvokeAsync(kernel, new() { ["request"] = request }, cancellationToken);
                    summarizer ??= KernelFunctionFactory.CreateFromPrompt("Summarize: {{$request}}");
                    var summary = await {|#0:summarizer.InvokeAsync(kernel, new() { ["request"] = request }, cancellationToken)|};
                    return handled.ToString() + summary;
                };
            }
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("KernelFunction.InvokeAsync")).RunAsync();

    // ---------------------------------------------------------------- outbound calls: HTTP in tool code

    [Fact]
    public Task Http_calls_in_an_mcp_tool_are_reported() => Test("""
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Threading;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        [McpServerToolType]
        class WeatherTools(IHttpClientFactory factory)
        {
            [McpServerTool]
            public async Task<string> GetForecast(string city, CancellationToken cancellationToken)
            {
                var http = factory.CreateClient();
                var text = await {|#0:http.GetStringAsync("https://api.example/" + city, cancellationToken)|};
                var forecast = await {|#1:http.GetFromJsonAsync<string[]>("https://api.example/v2/" + city, cancellationToken)|};
                using var response = {|#2:http.Send(new HttpRequestMessage(HttpMethod.Head, "https://api.example/health"))|};
                await {|#3:http.PostAsJsonAsync("https://audit.example", new { city }, cancellationToken)|};
                return text + forecast?.Length;
            }
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("HttpClient.GetStringAsync"),
            Diagnostic(Id).At(1).WithArguments("HttpClient.GetFromJsonAsync"),
            Diagnostic(Id).At(2).WithArguments("HttpClient.Send"),
            Diagnostic(Id).At(3).WithArguments("HttpClient.PostAsJsonAsync")).RunAsync();

    [Fact]
    public Task Http_in_a_helper_reached_from_a_tool_and_in_a_lambda_tool_is_reported() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using ModelContextProtocol.Server;
        class Tools(HttpClient http)
        {
            [McpServerTool]
            public Task<string> Quote(string symbol) => FetchAsync(symbol);
            private async Task<string> FetchAsync(string symbol) => await [|http.GetStringAsync("https://quotes.example/" + symbol)|];

            public AIFunction Lookup() => AIFunctionFactory.Create(async (string id) => await [|http.GetStringAsync("https://orders.example/" + id)|], "lookup_order");
        }
        """).RunAsync();

    [Fact]
    public Task Http_in_kernel_functions_and_configured_tool_attributes_is_reported() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.SemanticKernel;
        sealed class AgentToolAttribute : System.Attribute { }
        class Plugins(HttpClient http)
        {
            [KernelFunction]
            public async Task<string> News() => await [|http.GetStringAsync("https://news.example")|];

            [AgentTool]
            public async Task<string> Stocks() => await [|http.GetStringAsync("https://stocks.example")|];
        }
        """).WithOption("agentsafety.tool_attributes", "AgentTool").RunAsync();

    [Fact]
    public Task Http_outside_tool_code_is_not_reported_by_default() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        class FeedReader(HttpClient http)
        {
            public async Task<string> ReadAsync() => await http.GetStringAsync("https://feeds.example/rss");
        }
        """).RunAsync();

    [Fact]
    public Task Http_scope_everywhere_reports_http_outside_tools() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        class FeedReader(HttpClient http)
        {
            public async Task<string> ReadAsync() => await [|http.GetStringAsync("https://feeds.example/rss")|];
        }
        """).WithOption("agentsafety.AGS002.http_scope", "everywhere").RunAsync();

    [Fact]
    public Task An_unknown_http_scope_value_keeps_the_default() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        class Tools(HttpClient http)
        {
            [McpServerTool]
            public async Task<string> Fetch(string url) => await [|http.GetStringAsync(url)|];
            public async Task<string> NotATool(string url) => await http.GetStringAsync(url);
        }
        """).WithOption("agentsafety.AGS002.http_scope", "sometimes").RunAsync();

    [Fact]
    public Task Http_scope_none_never_reports_http() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using ModelContextProtocol.Server;
        class Tools(HttpClient http, IChatClient chat)
        {
            [McpServerTool]
            public async Task<string> Fetch(string url)
            {
                var page = await http.GetStringAsync(url);
                return (await [|chat.GetResponseAsync("Summarize: " + page)|]).Text;
            }
        }
        """).WithOption("agentsafety.AGS002.http_scope", "none").RunAsync();

    // ---------------------------------------------------------------- clients that retry by themselves

    [Fact]
    public Task OpenAI_clients_retry_by_themselves() => Test("""
        using System.Threading.Tasks;
        using OpenAI.Chat;
        class Agent
        {
            async Task<string> AskAsync(ChatClient client, string question)
            {
                ChatCompletion completion = await client.CompleteChatAsync(new UserChatMessage(question));
                return completion.Content[0].Text;
            }
        }
        """).RunAsync();

    [Fact]
    public Task Chat_clients_adapted_from_retrying_sdks_are_not_reported() => Test("""
        using System;
        using System.Threading.Tasks;
        using Anthropic;
        using Azure.AI.OpenAI;
        using Azure.Identity;
        using Microsoft.Extensions.AI;
        class Agent
        {
            private readonly IChatClient _openAi = new OpenAI.Chat.ChatClient("gpt-4o", "key-from-config").AsIChatClient();

            async Task<string> AskAllAsync(AnthropicClient anthropic, string question)
            {
                var fromAzure = new AzureOpenAIClient(new Uri("https://example.openai.azure.com"), new DefaultAzureCredential())
                    .GetChatClient("gpt-4o")
                    .AsIChatClient();
                IChatClient claude = anthropic.AsIChatClient("claude-sonnet-4-5");
                var a = await _openAi.GetResponseAsync(question);
                var b = await fromAzure.GetResponseAsync(question);
                var c = await claude.GetResponseAsync(question);
                return a.Text + b.Text + c.Text;
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_chat_client_that_only_maybe_wraps_a_retrying_sdk_is_reported() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Agent
        {
            async Task<string> AskAsync(bool useOpenAi, IChatClient local, string question)
            {
                var client = useOpenAi ? new OpenAI.Chat.ChatClient("gpt-4o", "key-from-config").AsIChatClient() : local;
                var fallbackOnly = local ?? new OpenAI.Chat.ChatClient("gpt-4o", "key-from-config").AsIChatClient();
                return (await [|client.GetResponseAsync(question)|]).Text + (await [|fallbackOnly.GetResponseAsync(question)|]).Text;
            }
        }
        """).RunAsync();

    [Fact]
    public Task Agents_and_pipelines_built_over_a_retrying_client_are_not_reported() => Test("""
        using System;
        using System.Threading.Tasks;
        using Azure.AI.OpenAI;
        using Azure.Identity;
        using Microsoft.Agents.AI;
        using Microsoft.Extensions.AI;
        using OpenAI;
        class Assistant
        {
            private readonly AIAgent _writer;
            private readonly IChatClient _pipeline;

            public Assistant(string key)
            {
                IChatClient chatClient = new OpenAIClient(key).GetChatClient("gpt-4o-mini").AsIChatClient();
                _writer = new ChatClientAgent(chatClient, instructions: "You write short answers.", name: "Writer");
                _pipeline = new ChatClientBuilder(chatClient).UseFunctionInvocation().Build();
            }

            async Task<string> AskAsync(string question)
            {
                AIAgent agent = new AzureOpenAIClient(new Uri("https://example.openai.azure.com"), new DefaultAzureCredential())
                    .GetChatClient("gpt-4o-mini")
                    .AsIChatClient()
                    .AsAIAgent(instructions: "You are good at telling jokes.", name: "Joker");
                var built = _pipeline.AsBuilder().UseLogging().Build().AsAIAgent(name: "Logged");
                var a = await agent.RunAsync(question);
                var b = await _writer.RunAsync(question);
                var c = await _pipeline.GetResponseAsync(question);
                var d = await built.RunAsync(question);
                await foreach (var update in agent.RunStreamingAsync(question))
                {
                    Console.Write(update);
                }

                return a.Text + b.Text + c.Text + d.Text;
            }
        }
        """).RunAsync();

    [Fact]
    public Task Agents_and_chat_clients_registered_with_add_singleton_over_a_retrying_client_are_not_reported() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Agents.AI;
        using Microsoft.Extensions.AI;
        using Microsoft.Extensions.DependencyInjection;
        using OpenAI;
        static class Startup
        {
            public static void Configure(IServiceCollection services, string key)
            {
                AIAgent agent = new OpenAIClient(key).GetChatClient("gpt-4o").AsIChatClient().AsAIAgent(instructions: "Tell jokes.");
                services.AddSingleton(agent);
                services.AddSingleton<IChatClient>(sp => new OpenAIClient(key).GetChatClient("gpt-4o-mini").AsIChatClient());
                services.AddSingleton<Joker>();
            }
        }
        class Joker(AIAgent agent, IChatClient chat)
        {
            public async Task<string> AskAsync(string question)
                => (await agent.RunAsync(question)).Text + (await chat.GetResponseAsync(question)).Text;
        }
        """).RunAsync();

    [Fact]
    public Task Agents_and_chat_clients_registered_with_add_singleton_over_a_client_of_unknown_origin_are_reported() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Agents.AI;
        using Microsoft.Extensions.AI;
        using Microsoft.Extensions.DependencyInjection;
        using OpenAI;
        static class Startup
        {
            public static void Configure(IServiceCollection services, string key, IChatClient local)
            {
                services.AddSingleton(local.AsAIAgent(instructions: "Tell jokes."));
                services.AddSingleton<IChatClient>(sp => new OpenAIClient(key).GetChatClient("gpt-4o-mini").AsIChatClient());
                services.AddKeyedSingleton<IChatClient>("local", local);
            }
        }
        class Joker(AIAgent agent, IChatClient chat)
        {
            public async Task<string> AskAsync(string question)
                => (await [|agent.RunAsync(question)|]).Text + (await [|chat.GetResponseAsync(question)|]).Text;
        }
        """).RunAsync();

    [Fact]
    public Task A_constructor_parameter_is_followed_to_every_new_of_its_type() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using OpenAI;
        class Memory(IChatClient chat)
        {
            public async Task<string> ExtractAsync(string text) => (await chat.GetResponseAsync(text)).Text;
        }
        class Summarizer
        {
            private readonly IChatClient _chat;
            public Summarizer(IChatClient chat) => _chat = chat;
            public async Task<string> SummarizeAsync(string text) => (await [|_chat.GetResponseAsync(text)|]).Text;
        }
        static class Program
        {
            static void Build(string key, IChatClient other)
            {
                var memory = new Memory(new OpenAIClient(key).GetChatClient("gpt-4o").AsIChatClient());
                Memory second = new(new OpenAIClient(key).GetChatClient("gpt-4o-mini").AsIChatClient());
                var summarizer = new Summarizer(new OpenAIClient(key).GetChatClient("gpt-4o").AsIChatClient());
                var local = new Summarizer(other);
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_decorator_client_passed_by_every_caller_of_an_internal_builder_extension_is_followed_to_them() => Test("""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Agents.AI;
        using Microsoft.Extensions.AI;
        using Microsoft.Extensions.DependencyInjection;
        using OpenAI;
        // An agent decorator that turns its inner agent's answer into JSON with a second chat client, added to a
        // pipeline by a builder extension whose client parameter falls back to the service provider's.
        internal sealed class JsonAnswerAgent : DelegatingAIAgent
        {
            private readonly IChatClient _formatter;

            public JsonAnswerAgent(AIAgent innerAgent, IChatClient formatter) : base(innerAgent)
                => _formatter = formatter ?? throw new ArgumentNullException(nameof(formatter));

            protected override async Task<AgentResponse> RunCoreAsync(IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, CancellationToken cancellationToken = default)
            {
                var text = await InnerAgent.RunAsync(messages, session, options, cancellationToken);
                var json = await _formatter.GetResponseAsync(text.Text, new ChatOptions { ResponseFormat = ChatResponseFormat.Json }, cancellationToken);
                return new AgentResponse(json.Messages);
            }
        }

        internal static class JsonAnswerExtensions
        {
            // Every caller passes a client (not null, as the compiler sees it): the service provider's is never asked for.
            public static AIAgentBuilder UseJsonAnswers(this AIAgentBuilder builder, IChatClient? formatter = null)
                => builder.Use((inner, services) =>
                {
                    formatter ??= services?.GetService<IChatClient>() ?? throw new InvalidOperationException("No IChatClient.");
                    return new JsonAnswerAgent(inner, formatter);
                });
        }

        static class Program
        {
            static AIAgent Build(string key)
            {
                IChatClient chat = new OpenAIClient(key).GetChatClient("gpt-4o-mini").AsIChatClient();
                AIAgent agent = new ChatClientAgent(chat, instructions: "Answer briefly.");
                return agent.AsBuilder().UseJsonAnswers(chat).Build();
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_decorator_client_from_a_builder_extension_is_reported_when_a_caller_leaves_it_to_the_services_or_callers_are_not_all_known() => Test("""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Agents.AI;
        using Microsoft.Extensions.AI;
        using Microsoft.Extensions.DependencyInjection;
        using OpenAI;
        // An agent decorator that turns its inner agent's answer into JSON with a second chat client, added to a
        // pipeline by a builder extension whose client parameter falls back to the service provider's.
        internal sealed class JsonAnswerAgent : DelegatingAIAgent
        {
            private readonly IChatClient _formatter;

            public JsonAnswerAgent(AIAgent innerAgent, IChatClient formatter) : base(innerAgent)
                => _formatter = formatter ?? throw new ArgumentNullException(nameof(formatter));

            protected override async Task<AgentResponse> RunCoreAsync(IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, CancellationToken cancellationToken = default)
            {
                var text = await InnerAgent.RunAsync(messages, session, options, cancellationToken);
                var json = await [|_formatter.GetResponseAsync(text.Text, new ChatOptions { ResponseFormat = ChatResponseFormat.Json }, cancellationToken)|];
                return new AgentResponse(json.Messages);
            }
        }

        internal static class JsonAnswerExtensions
        {
            public static AIAgentBuilder UseJsonAnswers(this AIAgentBuilder builder, IChatClient? formatter = null)
                => builder.Use((inner, services) =>
                {
                    formatter ??= services?.GetService<IChatClient>() ?? throw new InvalidOperationException("No IChatClient.");
                    return new JsonAnswerAgent(inner, formatter);
                });
        }

        // A public extension of a public type: other assemblies call it with clients this compilation never sees.
        public sealed class SummaryAgent : DelegatingAIAgent
        {
            private readonly IChatClient _summarizer;

            public SummaryAgent(AIAgent innerAgent, IChatClient summarizer) : base(innerAgent) => _summarizer = summarizer;

            protected override async Task<AgentResponse> RunCoreAsync(IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, CancellationToken cancellationToken = default)
            {
                var answer = await InnerAgent.RunAsync(messages, session, options, cancellationToken);
                var summary = await [|_summarizer.GetResponseAsync("Summarize: " + answer.Text, cancellationToken: cancellationToken)|];
                return new AgentResponse(summary.Messages);
            }
        }

        public static class SummaryExtensions
        {
            public static AIAgentBuilder UseSummaries(this AIAgentBuilder builder, IChatClient summarizer)
                => builder.Use((inner, services) => new SummaryAgent(inner, summarizer));
        }

        static class Program
        {
            static AIAgent Build(string key)
            {
                IChatClient chat = new OpenAIClient(key).GetChatClient("gpt-4o-mini").AsIChatClient();
                AIAgent agent = new ChatClientAgent(chat, instructions: "Answer briefly.");
                var withJson = agent.AsBuilder().UseJsonAnswers(chat).Build();
                var fromServices = agent.AsBuilder().UseJsonAnswers().Build();
                return agent.AsBuilder().UseSummaries(chat).Build();
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_chat_client_of_our_own_that_calls_nothing_runs_in_process_one_that_calls_out_is_reported() => Test("""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        sealed class EchoChatClient : IChatClient
        {
            public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
                => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, messages.Last().Text.ToUpperInvariant())));
            public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
                => throw new NotSupportedException();
            public object? GetService(Type serviceType, object? serviceKey = null) => null;
            public void Dispose() { }
        }
        sealed class RestChatClient(HttpClient http) : IChatClient
        {
            public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            {
                using var reply = await http.PostAsJsonAsync("https://model.example/chat", messages.Select(m => m.Text), cancellationToken);
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, await reply.Content.ReadAsStringAsync(cancellationToken)));
            }
            public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
                => throw new NotSupportedException();
            public object? GetService(Type serviceType, object? serviceKey = null) => null;
            public void Dispose() { }
        }
        static class Program
        {
            static async Task<string> RunAsync()
            {
                IChatClient echo = new EchoChatClient();
                IChatClient remote = new RestChatClient(new HttpClient());
                return (await echo.GetResponseAsync("hi")).Text + (await [|remote.GetResponseAsync("hi")|]).Text;
            }
        }
        """).RunAsync();

    [Fact]
    public Task Agents_over_a_client_of_unknown_origin_are_reported() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Agents.AI;
        using Microsoft.Extensions.AI;
        class Assistant(IChatClient injected)
        {
            private readonly AIAgent _agent = new ChatClientAgent(injected, instructions: "Answer briefly.");

            async Task<string> AskAsync(IChatClient given, string question)
            {
                var local = given.AsBuilder().UseFunctionInvocation().Build().AsAIAgent();
                var a = await [|_agent.RunAsync(question)|];
                var b = await [|local.RunAsync(question)|];
                var c = await [|injected.GetResponseAsync(question)|];
                return a.Text + b.Text + c.Text;
            }
        }
        """).RunAsync();

    [Fact]
    public Task Injected_clients_registered_over_a_retrying_client_are_not_reported() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Agents.AI;
        using Microsoft.Extensions.AI;
        using Microsoft.Extensions.DependencyInjection;
        using OpenAI;
        static class Startup
        {
            public static void Configure(IServiceCollection services, string key)
            {
                services.AddChatClient(sp => new OpenAIClient(key).GetChatClient("gpt-4o").AsIChatClient())
                    .UseFunctionInvocation()
                    .UseLogging();
                services.AddKeyedChatClient("mini", new OpenAIClient(key).GetChatClient("gpt-4o-mini").AsIChatClient());
                services.AddSingleton(sp => new Assistant(sp.GetRequiredService<IChatClient>()));
            }
        }
        class Assistant(IChatClient chat)
        {
            private readonly AIAgent _agent = chat.AsAIAgent(instructions: "Answer briefly.");

            public async Task<string> AskAsync(System.IServiceProvider services, string question)
            {
                var resolved = services.GetRequiredService<IChatClient>();
                var a = await chat.GetResponseAsync(question);
                var b = await _agent.RunAsync(question);
                var c = await resolved.GetResponseAsync(question);
                return a.Text + b.Text + c.Text;
            }
        }
        """).RunAsync();

    [Fact]
    public Task Injected_clients_are_reported_when_some_registration_does_not_retry() => Test("""
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using Microsoft.Extensions.DependencyInjection;
        using OpenAI;
        static class Startup
        {
            public static void Configure(IServiceCollection services, string key, IChatClient local)
            {
                services.AddChatClient(sp => new OpenAIClient(key).GetChatClient("gpt-4o").AsIChatClient());
                services.AddKeyedChatClient("local", local);
            }
        }
        class Assistant(IChatClient chat)
        {
            public async Task<string> AskAsync(string question)
                => (await [|chat.GetResponseAsync(question)|]).Text;
        }
        """).RunAsync();

    [Fact]
    public Task Injected_clients_with_no_registration_in_view_are_reported() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Agents.AI;
        using Microsoft.Extensions.AI;
        class Assistant(IChatClient chat, AIAgent agent)
        {
            public async Task<string> AskAsync(string question)
                => (await [|chat.GetResponseAsync(question)|]).Text + (await [|agent.RunAsync(question)|]).Text;
        }
        """).RunAsync();

    [Fact]
    public Task Mcp_tools_of_a_server_in_the_same_process_over_in_memory_streams_are_not_reported() => Test("""
        using System.IO;
        using System.IO.Pipelines;
        using System.Linq;
        using System.Threading.Tasks;
        using ModelContextProtocol.Client;
        using ModelContextProtocol.Protocol;
        // As in the MCP SDK's InMemoryTransport sample: the server reads and writes the other ends of the pipes.
        static class Program
        {
            static async Task<string> RunAsync()
            {
                Pipe clientToServerPipe = new(), serverToClientPipe = new();
                await using McpClient client = await McpClient.CreateAsync(
                    new StreamClientTransport(clientToServerPipe.Writer.AsStream(), serverToClientPipe.Reader.AsStream()));
                var tools = await client.ListToolsAsync();
                var echo = tools.First(t => t.Name == "Echo");
                var first = await echo.InvokeAsync(new() { ["arg"] = "Hello" });
                var second = await tools[0].CallAsync(new System.Collections.Generic.Dictionary<string, object?>());
                var third = await client.CallToolAsync("Echo");
                var buffer = new MemoryStream();
                await using var probe = await McpClient.CreateAsync(new StreamClientTransport(buffer, new MemoryStream()));
                var fourth = await probe.CallToolAsync("Echo");
                return $"{first}{second}{third}{fourth}";
            }
        }
        """).RunAsync();

    [Fact]
    public Task Mcp_tools_over_a_process_or_network_stream_are_reported() => Test("""
        using System.Diagnostics;
        using System.IO.Pipelines;
        using System.Linq;
        using System.Net.Sockets;
        using System.Threading.Tasks;
        using ModelContextProtocol.Client;
        using ModelContextProtocol.Protocol;
        static class Program
        {
            static async Task<string> RunAsync(Process server, NetworkStream network, PipeReader given)
            {
                await using McpClient client = await McpClient.CreateAsync(
                    new StreamClientTransport(server.StandardInput.BaseStream, server.StandardOutput.BaseStream));
                var tools = await client.ListToolsAsync();
                var first = await [|tools.First().InvokeAsync()|];
                await using var remote = await McpClient.CreateAsync(new StreamClientTransport(network, given.AsStream()));
                var second = await [|remote.CallToolAsync("Echo")|];
                return $"{first}{second}";
            }
        }
        """).RunAsync();

    [Fact]
    public Task The_apis_own_type_forwarding_to_its_other_overload_is_plumbing_but_a_caller_outside_it_is_reported() => Test("""
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using ModelContextProtocol.Client;
        using ModelContextProtocol.Protocol;
        // As in the MCP SDK's own McpClient: CallToolAsync(name, ...) builds the request and calls CallToolAsync(request, ...).
        #pragma warning disable MCPEXP002 // deriving from McpClient is experimental
        abstract class NamedToolClient : McpClient
        {
            public Task<CallToolResult> CallNamedAsync(string name, CancellationToken cancellationToken)
                => CallToolAsync(new CallToolRequestParams { Name = name }, cancellationToken).AsTask();

            public Task<CallToolResult> CallWithArgumentsAsync(string name, IReadOnlyDictionary<string, object?> arguments)
                => this.CallToolAsync(name, arguments).AsTask();
        }
        class Forecaster(McpClient client)
        {
            public Task<CallToolResult> ForecastAsync(string city)
                => [|client.CallToolAsync("forecast", new Dictionary<string, object?> { ["city"] = city })|].AsTask();
        }
        """).RunAsync();

    [Fact]
    public Task Decorators_forwarding_to_what_they_wrap_are_not_reported() => Test("""
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Agents.AI;
        using Microsoft.Extensions.AI;
        using ModelContextProtocol.Client;
        sealed class AuditedFunction(AIFunction inner) : DelegatingAIFunction(inner)
        {
            protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
                => await InnerFunction.InvokeAsync(arguments, cancellationToken);
        }
        sealed class RemoteFunction(McpClient client, string tool) : AIFunction
        {
            public override string Name => tool;
            protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
                => await client.CallToolAsync(tool, arguments, cancellationToken: cancellationToken);
        }
        sealed class AgentChatClient(AIAgent agent) : IChatClient
        {
            public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
                => (await agent.RunAsync(messages, cancellationToken: cancellationToken)).AsChatResponse();
            public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
                => throw new System.NotSupportedException();
            public object? GetService(System.Type serviceType, object? serviceKey = null) => null;
            public void Dispose() { }
        }
        static class ChatHelpers
        {
            public static async Task<string> AskAsync(this IChatClient client, string question)
                => (await client.GetResponseAsync(question)).Text;
        }
        """).RunAsync();

    [Fact]
    public Task Middleware_given_to_a_builder_forwards_to_the_inner_client_and_is_not_reported() => Test("""
        using System;
        using System.Linq;
        using System.Threading.Tasks;
        using Microsoft.Agents.AI;
        using Microsoft.Extensions.AI;
        static class Pipelines
        {
            public static IChatClient Logged(IChatClient client)
                => client.AsBuilder()
                    .Use(async (messages, options, innerClient, cancellationToken) =>
                    {
                        Console.WriteLine("asking");
                        return await innerClient.GetResponseAsync(messages, options, cancellationToken);
                    }, null)
                    .Build();

            public static AIAgent Guarded(AIAgent agent)
                => agent.AsBuilder()
                    .Use(async (messages, session, options, innerAgent, cancellationToken) =>
                    {
                        var filtered = messages.Where(m => m.Text.Length < 10_000).ToList();
                        return await innerAgent.RunAsync(filtered, session, options, cancellationToken);
                    }, null)
                    .Build();
        }
        """).RunAsync();

    [Fact]
    public Task A_chat_client_middleware_forwarding_to_its_inner_client_is_not_reported() => Test("""
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        sealed class LoggingChatClient(IChatClient inner) : DelegatingChatClient(inner)
        {
            public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
                => await base.GetResponseAsync(messages, options, cancellationToken);
        }
        """).RunAsync();

    // ---------------------------------------------------------------- protection: resilience executors

    [Fact]
    public Task Polly_pipeline_executing_the_call_protects_it_nested_lambdas_too() => Test("""
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using Polly;
        class Agent(IChatClient chat, ResiliencePipeline pipeline)
        {
            async Task<string> AskAsync(string question, CancellationToken cancellationToken)
            {
                var response = await pipeline.ExecuteAsync(async token => await chat.GetResponseAsync(question, cancellationToken: token), cancellationToken);
                var all = await pipeline.ExecuteAsync(async token =>
                {
                    var answers = await Task.WhenAll(new[] { "a", "b" }.Select(async q => await chat.GetResponseAsync(q, cancellationToken: token)));
                    return answers.Length;
                }, cancellationToken);
                return response.Text + all;
            }
        }
        """).RunAsync();

    [Fact]
    public Task Typed_pipelines_and_pipelines_from_the_registry_protect_the_call() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using ModelContextProtocol.Client;
        using ModelContextProtocol.Protocol;
        using Polly;
        using Polly.Registry;
        class Agent(IChatClient chat, McpClient tools, ResiliencePipeline<ChatResponse> typed, ResiliencePipelineProvider<string> registry)
        {
            async Task<string> AskAsync(string question)
            {
                var response = await typed.ExecuteAsync(async token => await chat.GetResponseAsync(question, cancellationToken: token));
                CallToolResult result = await registry.GetPipeline("tools").ExecuteAsync(async token => await tools.CallToolAsync("search", cancellationToken: token));
                return response.Text + result.IsError;
            }
        }
        """).RunAsync();

    [Fact]
    public Task Polly_v7_policies_protect_the_call() => Test("""
        using System;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using Polly;
        class Agent(IChatClient chat)
        {
            private static readonly IAsyncPolicy Retry = Policy.Handle<Exception>().WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(attempt));

            async Task<string> AskAsync(string question)
            {
                var response = await Retry.ExecuteAsync(() => chat.GetResponseAsync(question));
                var captured = await Retry.ExecuteAndCaptureAsync(async () => await chat.GetResponseAsync(question));
                return response.Text + captured.Outcome;
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_method_group_given_to_an_executor_protects_nothing_in_its_body() => Test("""
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using Polly;
        class Agent(IChatClient chat, ResiliencePipeline pipeline)
        {
            Task<string> AnswerAsync(CancellationToken cancellationToken) => pipeline.ExecuteAsync(AskAsync, cancellationToken).AsTask();

            async ValueTask<string> AskAsync(CancellationToken cancellationToken)
                => (await [|chat.GetResponseAsync("hello", cancellationToken: cancellationToken)|]).Text;
        }
        """).RunAsync();

    [Theory]
    [InlineData("MyApp.Resilient.RunAsync")]
    [InlineData("RunAsync")]
    [InlineData("M:MyApp.Resilient.RunAsync``1(System.Func{System.Threading.Tasks.Task{``0}})")]
    public Task Configured_resilience_wrappers_protect_the_delegate_they_run(string wrapper) => Test("""
        using System;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        namespace MyApp
        {
            static class Resilient
            {
                public static Task<T> RunAsync<T>(Func<Task<T>> action) => action();
            }
            class Agent(IChatClient chat)
            {
                async Task<string> AskAsync(string question)
                    => (await Resilient.RunAsync(() => chat.GetResponseAsync(question))).Text;
            }
        }
        """).WithOption("agentsafety.AGS002.resilience_wrappers", wrapper).RunAsync();

    [Fact]
    public Task Without_the_option_an_unknown_wrapper_protects_nothing() => Test("""
        using System;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        namespace MyApp
        {
            static class Resilient
            {
                public static Task<T> RunAsync<T>(Func<Task<T>> action) => action();
            }
            class Agent(IChatClient chat)
            {
                async Task<string> AskAsync(string question)
                    => (await Resilient.RunAsync(() => [|chat.GetResponseAsync(question)|])).Text;
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_source_helper_that_retries_or_runs_a_pipeline_protects_the_delegate_it_gets() => Test("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using Polly;
        class Agent(IChatClient chat, ResiliencePipeline pipeline)
        {
            async Task<string> AskAsync(string question, CancellationToken cancellationToken)
            {
                var a = await WithRetriesAsync(token => chat.GetResponseAsync(question, cancellationToken: token), cancellationToken);
                var b = await ThroughPipelineAsync(async token => await chat.GetResponseAsync(question, cancellationToken: token), cancellationToken);
                return a.Text + b.Text;
            }

            static async Task<T> WithRetriesAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
            {
                for (var attempt = 1; ; attempt++)
                {
                    try { return await operation(cancellationToken); }
                    catch (Exception) when (attempt < 3) { await Task.Delay(100 * attempt, cancellationToken); }
                }
            }

            ValueTask<T> ThroughPipelineAsync<T>(Func<CancellationToken, ValueTask<T>> operation, CancellationToken cancellationToken)
                => pipeline.ExecuteAsync(operation, cancellationToken);
        }
        """).RunAsync();

    [Fact]
    public Task A_source_helper_that_just_runs_the_delegate_protects_nothing() => Test("""
        using System;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Agent(IChatClient chat)
        {
            async Task<string> AskAsync(string question)
                => (await TimedAsync(() => [|chat.GetResponseAsync(question)|])).Text;

            static async Task<T> TimedAsync<T>(Func<Task<T>> operation)
            {
                var started = DateTime.UtcNow;
                try { return await operation(); }
                finally { Console.WriteLine(DateTime.UtcNow - started); }
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_private_method_whose_every_call_is_protected_runs_under_that_protection() => Test("""
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using Polly;
        class Agent(IChatClient chat, ResiliencePipeline pipeline)
        {
            public async Task<string> AskAsync(string question, CancellationToken cancellationToken)
                => await pipeline.ExecuteAsync(async token => await CallModelAsync(question, token), cancellationToken);

            public Task<string> AskDirectlyAsync(string question) => ShareableAsync(question);

            public async Task<string> AskTwiceAsync(string question)
                => await pipeline.ExecuteAsync(async token => await ShareableAsync(question)) + await ShareableAsync(question);

            private async Task<string> CallModelAsync(string question, CancellationToken cancellationToken)
                => (await chat.GetResponseAsync(question, cancellationToken: cancellationToken)).Text;

            private async Task<string> ShareableAsync(string question) => (await [|chat.GetResponseAsync(question)|]).Text;
        }
        """).RunAsync();

    // ---------------------------------------------------------------- protection: retry loops

    [Fact]
    public Task For_while_and_do_retry_loops_protect_the_call() => Test("""
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Agent(IChatClient chat)
        {
            async Task<string> ForAsync(string question)
            {
                for (var attempt = 1; ; attempt++)
                {
                    try { return (await chat.GetResponseAsync(question)).Text; }
                    catch (HttpRequestException) when (attempt < 3) { await Task.Delay(200 * attempt); }
                }
            }

            async Task<string> WhileAsync(string question)
            {
                var attempt = 0;
                while (true)
                {
                    try { return (await chat.GetResponseAsync(question)).Text; }
                    catch (Exception)
                    {
                        if (++attempt == 3) throw;
                        await Task.Delay(500);
                    }
                }
            }

            async Task<string> DoAsync(string question)
            {
                var attempt = 0;
                ChatResponse? response = null;
                do
                {
                    try { response = await chat.GetResponseAsync(question); }
                    catch (TimeoutException) { attempt++; continue; }
                } while (response is null && attempt < 3);
                return response?.Text ?? "";
            }
        }
        """).RunAsync();

    [Fact]
    public Task Foreach_over_items_is_not_a_retry_loop() => Test("""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Summarizer(IChatClient chat)
        {
            async Task<List<string>> SummarizeAllAsync(IEnumerable<string> documents)
            {
                var summaries = new List<string>();
                foreach (var document in documents)
                {
                    try { summaries.Add((await [|chat.GetResponseAsync("Summarize: " + document)|]).Text); }
                    catch (Exception) { summaries.Add(""); }
                }
                return summaries;
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_loop_whose_catch_leaves_the_loop_is_not_a_retry_loop() => Test("""
        using System;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Agent(IChatClient chat)
        {
            async Task<string> ReturnsAsync(string question)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try { return (await [|chat.GetResponseAsync(question)|]).Text; }
                    catch (Exception) { return "unavailable"; }
                }
                return "";
            }

            async Task<string> BreaksAsync(string question)
            {
                var answer = "";
                while (answer.Length == 0)
                {
                    try { answer = (await [|chat.GetResponseAsync(question)|]).Text; }
                    catch (Exception ex) { throw new InvalidOperationException("The model failed", ex); }
                }
                return answer;
            }
        }
        """).RunAsync();

    // ---------------------------------------------------------------- protection: fallbacks

    [Fact]
    public Task A_catch_that_calls_another_model_is_a_fallback_and_the_call_in_it_is_the_fallback() => Test("""
        using System;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Agent(IChatClient primary, IChatClient backup)
        {
            async Task<string> AskAsync(string question)
            {
                try { return (await primary.GetResponseAsync(question)).Text; }
                catch (Exception) { return (await backup.GetResponseAsync(question)).Text; }
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_catch_that_reads_a_cache_or_the_last_known_answer_is_a_fallback() => Test("""
        using System;
        using System.Collections.Concurrent;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Agent(IChatClient chat)
        {
            private readonly ConcurrentDictionary<string, string> _cache = new();
            private string _lastAnswer = "";

            async Task<string> CachedAsync(string question)
            {
                try { return _cache[question] = (await chat.GetResponseAsync(question)).Text; }
                catch (Exception) { return _cache.TryGetValue(question, out var cached) ? cached : "no answer"; }
            }

            async Task<string> LastKnownAsync(string question)
            {
                try { return _lastAnswer = (await chat.GetResponseAsync(question)).Text; }
                catch (Exception) { return _lastAnswer; }
            }

            async Task<string> ProviderAsync(string question, Func<string, string> defaultAnswer)
            {
                try { return (await chat.GetResponseAsync(question)).Text; }
                catch (Exception) { return defaultAnswer(question); }
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_best_effort_call_with_a_deliberately_empty_catch_is_not_reported() => Test("""
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        class Tools(HttpClient http)
        {
            [McpServerTool]
            public async Task<string> CreateTicket(string title)
            {
                try
                {
                    await http.PostAsJsonAsync("https://chat.example/hooks/support", new { text = title });
                }
                catch (HttpRequestException)
                {
                    // Best effort: the ticket exists even when the chat notification fails.
                }

                try { await [|http.PostAsJsonAsync("https://chat.example/hooks/audit", new { text = title })|]; }
                catch (HttpRequestException) { }

                return title;
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_catch_that_only_logs_is_not_a_fallback() => Test("""
        using System;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using Microsoft.Extensions.Logging;
        class Agent(IChatClient chat, ILogger<Agent> logger)
        {
            async Task<string?> AskAsync(string question)
            {
                try { return (await [|chat.GetResponseAsync(question)|]).Text; }
                catch (Exception ex)
                {
                    logger.LogError(ex, "The model failed for {Question}", question);
                    return null;
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_canned_answer_is_not_a_fallback() => Test("""
        using System;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Agent(IChatClient chat)
        {
            private static readonly string Apology = "I'm sorry, I couldn't complete that task.";

            async Task<string> ConstantAsync(string question)
            {
                try { return (await [|chat.GetResponseAsync(question)|]).Text; }
                catch (Exception) { return Apology; }
            }

            async Task<string> MessageAsync(string question)
            {
                try { return (await [|chat.GetResponseAsync(question)|]).Text; }
                catch (Exception ex) { return string.Format("Failed: {0}", ex.Message.Trim()); }
            }

            async Task<ChatResponse> CreatedAsync(string question)
            {
                try { return await [|chat.GetResponseAsync(question)|]; }
                catch (Exception ex) { return new ChatResponse(new ChatMessage(ChatRole.Assistant, $"Sorry: {ex.GetBaseException().Message}")); }
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_same_type_helper_counts_as_a_fallback_only_when_it_calls_an_alternative_and_runs_as_one() => Test("""
        using System;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using Microsoft.Extensions.Logging;
        class Agent(IChatClient chat, IChatClient backup, ILogger<Agent> logger)
        {
            async Task<string> WithFallbackAsync(string question)
            {
                try { return (await chat.GetResponseAsync(question)).Text; }
                catch (Exception ex) { return await FallbackAsync(question, ex); }
            }

            async Task<string> WithApologyAsync(string question)
            {
                try { return (await [|chat.GetResponseAsync(question)|]).Text; }
                catch (Exception ex) { return Apologize(ex); }
            }

            private async Task<string> FallbackAsync(string question, Exception ex)
            {
                logger.LogWarning(ex, "Falling back");
                return (await backup.GetResponseAsync(question)).Text;
            }

            private string Apologize(Exception ex)
            {
                logger.LogError(ex, "The model failed");
                return "Sorry.";
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_call_in_a_catch_that_rethrows_is_not_a_fallback() => Test("""
        using System;
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        class Tools(HttpClient http)
        {
            [McpServerTool]
            public async Task<string> Book(string flight)
            {
                try { return await [|http.GetStringAsync("https://book.example/" + flight)|]; }
                catch (Exception ex)
                {
                    await [|http.PostAsJsonAsync("https://alerts.example", new { flight, error = ex.Message })|];
                    throw;
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_catch_of_cancellation_is_neither_a_fallback_nor_a_retry_but_a_call_in_it_is_an_alternative() => Test("""
        using System;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Agent(IChatClient chat, IChatClient backup)
        {
            async Task<string> AskAsync(string question)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try { return (await [|chat.GetResponseAsync(question)|]).Text; }
                    catch (OperationCanceledException) { return (await backup.GetResponseAsync(question)).Text; }
                }
                return "";
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_try_or_catch_around_a_tool_registration_does_not_protect_the_tool_body() => Test("""
        using System;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Tools(IChatClient chat, IChatClient backup)
        {
            AIFunction? Build()
            {
                try
                {
                    return AIFunctionFactory.Create(async (string text) => (await [|chat.GetResponseAsync("Translate: " + text)|]).Text, "translate");
                }
                catch (Exception)
                {
                    return AIFunctionFactory.Create(async (string text) => (await [|backup.GetResponseAsync(text)|]).Text, "translate");
                }
            }
        }
        """).RunAsync();

    // ---------------------------------------------------------------- protection: resilient receivers

    [Fact]
    public Task A_failover_chat_client_is_resilient() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        #pragma warning disable MEAI001 // OrderedFailoverChatClient is experimental in Microsoft.Extensions.AI 11
        class Agent(IChatClient primary, IChatClient secondary, OrderedFailoverChatClient failover)
        {
            async Task<string> AskAsync(string question)
            {
                IChatClient client = new OrderedFailoverChatClient(new[] { primary, secondary }, leaveOpen: false);
                var a = await client.GetResponseAsync(question);
                var b = await failover.GetResponseAsync(question);
                return a.Text + b.Text;
            }
        }
        """).RunAsync();

    [Fact]
    public Task Configured_resilient_types_are_resilient_receivers() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using ModelContextProtocol.Client;
        namespace MyApp
        {
            sealed class RetryingChatClient(IChatClient inner) : DelegatingChatClient(inner) { }
            class Agent(RetryingChatClient chat, IChatClient other, McpClient tools)
            {
                async Task<string> AskAsync(string question)
                {
                    var a = await chat.GetResponseAsync(question);
                    var b = await [|other.GetResponseAsync(question)|];
                    var c = await tools.CallToolAsync("search");
                    return a.Text + b.Text + c.IsError;
                }
            }
        }
        """).WithOption("agentsafety.AGS002.resilient_types", "MyApp.RetryingChatClient, ModelContextProtocol.Client.McpClient").RunAsync();

    [Fact]
    public Task An_interface_in_resilient_types_covers_every_client_of_it() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Agent(IChatClient chat)
        {
            async Task<string> AskAsync(string question) => (await chat.GetResponseAsync(question)).Text;
        }
        """).WithOption("agentsafety.AGS002.resilient_types", "Microsoft.Extensions.AI.IChatClient").RunAsync();

    [Fact]
    public Task A_registered_http_resilience_handler_covers_its_named_and_typed_clients() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using ModelContextProtocol.Server;
        static class Setup
        {
            public static void Register(IServiceCollection services)
            {
                services.AddHttpClient("weather").AddStandardResilienceHandler();
                services.AddHttpClient<Tools>().AddStandardResilienceHandler();
            }
        }
        class Tools(IHttpClientFactory factory, HttpClient injected)
        {
            [McpServerTool]
            public async Task<string> Forecast(string city)
            {
                var http = factory.CreateClient("weather");
                return await http.GetStringAsync("https://weather.example/" + city) + await injected.GetStringAsync("https://weather.example/alerts");
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_handler_on_one_named_client_does_not_cover_another() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using ModelContextProtocol.Server;
        static class Setup
        {
            public static void Register(IServiceCollection services)
            {
                services.AddHttpClient("crm").AddStandardResilienceHandler();
                services.AddHttpClient<Tools>();
            }
        }
        class Tools(IHttpClientFactory factory, HttpClient injected)
        {
            [McpServerTool]
            public async Task<string> Invoice(string id)
            {
                var crm = factory.CreateClient("crm");
                var billing = factory.CreateClient("billing");
                var unnamed = factory.CreateClient();
                return await crm.GetStringAsync("https://crm.example/" + id)
                    + await [|billing.GetStringAsync("https://billing.example/" + id)|]
                    + await [|unnamed.GetStringAsync("https://billing.example/all")|]
                    + await [|injected.GetStringAsync("https://billing.example/typed")|];
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_handler_on_the_client_defaults_covers_every_factory_client() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using ModelContextProtocol.Server;
        static class Setup
        {
            public static void Register(IServiceCollection services)
                => services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        }
        class Tools(IHttpClientFactory factory, HttpClient injected)
        {
            [McpServerTool]
            public async Task<string> Invoice(string id)
                => await factory.CreateClient("billing").GetStringAsync("https://billing.example/" + id)
                   + await injected.GetStringAsync("https://billing.example/typed");
        }
        """).RunAsync();

    [Theory]
    [InlineData("AddResilienceHandler")]
    [InlineData("AddStandardHedgingHandler")]
    [InlineData("AddPolicyHandler")]
    [InlineData("AddTransientHttpErrorPolicy")]
    public Task Every_http_resilience_registration_is_recognised_by_name(string registration) => Test($$"""
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using ModelContextProtocol.Server;
        namespace Microsoft.Extensions.DependencyInjection
        {
            public static class StubResilienceExtensions
            {
                public static IHttpClientBuilder {{registration}}(this IHttpClientBuilder builder, object? configure = null) => builder;
            }
        }
        static class Setup
        {
            public static void Register(IServiceCollection services) => services.AddHttpClient("weather").{{registration}}();
        }
        class Tools(IHttpClientFactory factory)
        {
            [McpServerTool]
            public Task<string> Forecast(string city) => factory.CreateClient("weather").GetStringAsync("https://weather.example/" + city);
        }
        """).RunAsync();

    [Fact]
    public Task An_http_client_created_with_new_is_not_covered_by_registered_handlers() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using ModelContextProtocol.Server;
        static class Setup
        {
            public static void Register(IServiceCollection services) => services.AddHttpClient("weather").AddStandardResilienceHandler();
        }
        class Tools
        {
            private static readonly HttpClient Shared = new();
            private readonly HttpClient _assigned;
            Tools() => _assigned = new HttpClient();

            [McpServerTool]
            public async Task<string> Forecast(string city)
            {
                using var local = new HttpClient();
                return await [|local.GetStringAsync("https://weather.example/" + city)|]
                    + await [|Shared.GetStringAsync("https://weather.example/alerts")|]
                    + await [|_assigned.GetStringAsync("https://weather.example/radar")|];
            }
        }
        """).RunAsync();

    [Fact]
    public Task Without_a_registered_handler_factory_clients_are_reported() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        class Tools(IHttpClientFactory factory)
        {
            [McpServerTool]
            public Task<string> Forecast(string city) => [|factory.CreateClient().GetStringAsync("https://weather.example/" + city)|];
        }
        """).RunAsync();

    // ---------------------------------------------------------------- scope and severity

    [Fact]
    public Task Generated_code_is_skipped() => Test("""
        // <auto-generated/>
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Generated(IChatClient chat)
        {
            async Task<string> AskAsync(string question) => (await chat.GetResponseAsync(question)).Text;
        }
        """).RunAsync();

    [Fact]
    public Task Severity_comes_from_editorconfig() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Agent(IChatClient chat)
        {
            async Task<string> AskAsync(string question) => (await {|#0:chat.GetResponseAsync(question)|}).Text;
        }
        """).WithOption("dotnet_diagnostic.AGS002.severity", "error")
        .Expect(Diagnostic(Id).At(0).WithSeverity(DiagnosticSeverity.Error)).RunAsync();

    [Fact]
    public Task Severity_none_silences_the_rule() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Agent(IChatClient chat)
        {
            async Task<string> AskAsync(string question) => (await chat.GetResponseAsync(question)).Text;
        }
        """).WithOption("dotnet_diagnostic.AGS002.severity", "none").RunAsync();

    // ---------------------------------------------------------------- fix: standard resilience handler (client from IHttpClientFactory)

    [Fact]
    public Task A_named_factory_client_gets_the_standard_resilience_handler_on_its_registration() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using ModelContextProtocol.Server;
        static class Setup
        {
            public static void Register(IServiceCollection services) => services.AddHttpClient("weather");
        }
        class Tools(IHttpClientFactory factory)
        {
            [McpServerTool]
            public Task<string> Forecast(string city) => [|factory.CreateClient("weather").GetStringAsync("https://weather.example/" + city)|];
        }
        """).WithFix(HandlerFix, """
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Http.Resilience;
        using ModelContextProtocol.Server;
        static class Setup
        {
            public static void Register(IServiceCollection services) => services.AddHttpClient("weather").AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());
        }
        class Tools(IHttpClientFactory factory)
        {
            [McpServerTool]
            public Task<string> Forecast(string city) => factory.CreateClient("weather").GetStringAsync("https://weather.example/" + city);
        }
        """).RunAsync();

    [Fact]
    public Task A_typed_client_registered_in_another_file_is_fixed_there_once_for_all_its_calls() => RuleTest.For<UnprotectedCallAnalyzer, UnprotectedCallCodeFixProvider>()
        .WithSource("""
            using System;
            using Microsoft.Extensions.DependencyInjection;

            static class Program
            {
                public static void Register(IServiceCollection services)
                {
                    services.AddHttpClient<ReportTools>(client => client.BaseAddress = new Uri("https://reports.example/"))
                        .ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(30));
                    services.AddHttpClient("other");
                }
            }
            """, "Program.cs")
        .WithSource("""
            using System.Net.Http;
            using System.Net.Http.Json;
            using System.Threading;
            using System.Threading.Tasks;
            using ModelContextProtocol.Server;

            public sealed record Report(string Id, string Title);

            [McpServerToolType]
            public sealed class ReportTools
            {
                private readonly HttpClient _http;

                public ReportTools(HttpClient http) => _http = http;

                [McpServerTool]
                public async Task<Report?> GetReport(string id, CancellationToken cancellationToken)
                    => await [|_http.GetFromJsonAsync<Report>("reports/" + id, cancellationToken)|];

                [McpServerTool]
                public async Task<string> ListReports() => await [|_http.GetStringAsync("reports")|];

                [McpServerTool]
                public async Task<int> SaveReport(string title)
                {
                    using var response = await [|_http.PostAsJsonAsync("reports", new { title })|];
                    return (int)response.StatusCode;
                }
            }
            """, "ReportTools.cs")
        .WithFix(HandlerFix, """
            using System;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Http.Resilience;

            static class Program
            {
                public static void Register(IServiceCollection services)
                {
                    services.AddHttpClient<ReportTools>(client => client.BaseAddress = new Uri("https://reports.example/"))
                        .ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(30))
                        .AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());
                    services.AddHttpClient("other");
                }
            }
            """, """
            using System.Net.Http;
            using System.Net.Http.Json;
            using System.Threading;
            using System.Threading.Tasks;
            using ModelContextProtocol.Server;

            public sealed record Report(string Id, string Title);

            [McpServerToolType]
            public sealed class ReportTools
            {
                private readonly HttpClient _http;

                public ReportTools(HttpClient http) => _http = http;

                [McpServerTool]
                public async Task<Report?> GetReport(string id, CancellationToken cancellationToken)
                    => await _http.GetFromJsonAsync<Report>("reports/" + id, cancellationToken);

                [McpServerTool]
                public async Task<string> ListReports() => await _http.GetStringAsync("reports");

                [McpServerTool]
                public async Task<int> SaveReport(string title)
                {
                    using var response = await _http.PostAsJsonAsync("reports", new { title });
                    return (int)response.StatusCode;
                }
            }
            """).RunAsync();

    [Fact]
    public Task The_handler_fix_edits_only_the_registrations_of_the_clients_the_calls_use() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Http.Resilience;
        using ModelContextProtocol.Server;
        static class Setup
        {
            public static void Register(IServiceCollection services)
            {
                services.AddHttpClient("weather");
                services.AddHttpClient("news");
                services.AddHttpClient("unused");
            }
        }
        class Tools(IHttpClientFactory factory)
        {
            [McpServerTool]
            public async Task<string> Forecast(string city)
            {
                var weather = factory.CreateClient("weather");
                return await [|weather.GetStringAsync("https://weather.example/" + city)|] + await [|weather.GetStringAsync("https://weather.example/alerts")|];
            }

            [McpServerTool]
            public async Task<string> Headlines() => await [|factory.CreateClient("news").GetStringAsync("https://news.example/")|];
        }
        """).WithFix(HandlerFix, """
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Http.Resilience;
        using ModelContextProtocol.Server;
        static class Setup
        {
            public static void Register(IServiceCollection services)
            {
                services.AddHttpClient("weather").AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());
                services.AddHttpClient("news").AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());
                services.AddHttpClient("unused");
            }
        }
        class Tools(IHttpClientFactory factory)
        {
            [McpServerTool]
            public async Task<string> Forecast(string city)
            {
                var weather = factory.CreateClient("weather");
                return await weather.GetStringAsync("https://weather.example/" + city) + await weather.GetStringAsync("https://weather.example/alerts");
            }

            [McpServerTool]
            public async Task<string> Headlines() => await factory.CreateClient("news").GetStringAsync("https://news.example/");
        }
        """).RunAsync();

    [Fact]
    public Task Without_Http_Resilience_the_handler_fix_is_not_offered() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using ModelContextProtocol.Server;
        static class Setup
        {
            public static void Register(IServiceCollection services) => services.AddHttpClient("weather");
        }
        class Tools(IHttpClientFactory factory)
        {
            [McpServerTool]
            public Task<string> Forecast(string city) => [|factory.CreateClient("weather").GetStringAsync("https://weather.example/" + city)|];
        }
        """).WithoutReference("Microsoft.Extensions.Http.Resilience").WithoutFix(HandlerFix).RunAsync();

    [Fact]
    public Task A_client_with_no_registration_of_its_own_gets_no_handler_fix() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using ModelContextProtocol.Server;
        static class Setup
        {
            public static void Register(IServiceCollection services) => services.AddHttpClient("weather");
        }
        class Tools(IHttpClientFactory factory, string name)
        {
            private static readonly HttpClient Shared = new();

            [McpServerTool]
            public async Task<string> Forecast(string city)
                => await [|factory.CreateClient().GetStringAsync("https://weather.example/" + city)|]
                   + await [|factory.CreateClient("billing").GetStringAsync("https://billing.example/")|]
                   + await [|factory.CreateClient(name).GetStringAsync("https://any.example/")|]
                   + await [|Shared.GetStringAsync("https://weather.example/alerts")|];
        }
        """).WithoutFix(HandlerFix).RunAsync();

    [Fact]
    public Task A_registration_whose_builder_is_used_further_gets_no_handler_fix() => Test("""
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using ModelContextProtocol.Server;
        static class Setup
        {
            public static IHttpClientBuilder Register(IServiceCollection services)
            {
                var builder = services.AddHttpClient("weather");
                builder.ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(30));
                return services.AddHttpClient("news");
            }
        }
        class Tools(IHttpClientFactory factory)
        {
            [McpServerTool]
            public async Task<string> Forecast(string city)
                => await [|factory.CreateClient("weather").GetStringAsync("https://weather.example/" + city)|]
                   + await [|factory.CreateClient("news").GetStringAsync("https://news.example/")|];
        }
        """).WithoutFix(HandlerFix).RunAsync();

    // ---------------------------------------------------------------- fix: resilience pipeline (Polly referenced)

    [Fact]
    public Task Pipeline_fix_adds_one_field_and_the_usings_and_moves_the_token_to_the_pipeline() => Test("""
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;

        namespace Agents;

        public sealed class ResearchAgent(IChatClient chatClient)
        {
            public async Task<string> AnswerAsync(string question, ChatOptions options, CancellationToken cancellationToken)
            {
                var response = await [|chatClient.GetResponseAsync(question, options, cancellationToken)|];
                return response.Text;
            }
        }
        """).WithFix(PipelineFix, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using Polly;
        using Polly.Retry;

        namespace Agents;

        public sealed class ResearchAgent(IChatClient chatClient)
        {
            private static readonly ResiliencePipeline RetryPipeline = new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3, BackoffType = DelayBackoffType.Exponential, UseJitter = true })
                .AddTimeout(TimeSpan.FromSeconds(60))
                .Build();

            public async Task<string> AnswerAsync(string question, ChatOptions options, CancellationToken cancellationToken)
            {
                var response = await RetryPipeline.ExecuteAsync(async token => await chatClient.GetResponseAsync(question, options, token), cancellationToken);
                return response.Text;
            }
        }
        """).WithoutFix(HelperFix).RunAsync();

    [Fact]
    public Task Pipeline_fix_handles_value_tasks_named_and_omitted_tokens_and_ConfigureAwait() => Test("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using ModelContextProtocol.Client;
        using Polly;
        using Polly.Retry;

        class Router(McpClient client, AIFunction search)
        {
            private int _calls;

            async Task<string> RouteAsync(string query, CancellationToken ct)
            {
                _calls++;
                var result = await [|client.CallToolAsync("search", cancellationToken: ct)|];
                var found = await [|search.InvokeAsync()|].ConfigureAwait(false);
                return result.IsError + " " + found;
            }
        }
        """).WithFix(PipelineFix, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using ModelContextProtocol.Client;
        using Polly;
        using Polly.Retry;

        class Router(McpClient client, AIFunction search)
        {
            private int _calls;
            private static readonly ResiliencePipeline RetryPipeline = new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3, BackoffType = DelayBackoffType.Exponential, UseJitter = true })
                .AddTimeout(TimeSpan.FromSeconds(60))
                .Build();

            async Task<string> RouteAsync(string query, CancellationToken ct)
            {
                _calls++;
                var result = await RetryPipeline.ExecuteAsync(async token => await client.CallToolAsync("search", cancellationToken: token), ct);
                var found = await RetryPipeline.ExecuteAsync(async token => await search.InvokeAsync(cancellationToken: token).ConfigureAwait(false)).ConfigureAwait(false);
                return result.IsError + " " + found;
            }
        }
        """).RunAsync();

    [Fact]
    public Task Pipeline_fix_reuses_a_pipeline_member_of_the_type() => Test("""
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using Polly;

        class Agent(IChatClient chat, ResiliencePipeline<ChatResponse> typed)
        {
            private ResiliencePipeline Pipeline { get; } = ResiliencePipeline.Empty;

            async Task<string> AskAsync(string question, CancellationToken cancellationToken)
                => (await [|chat.GetResponseAsync(question, cancellationToken: CancellationToken.None)|]).Text;
        }
        """).WithFix(PipelineFix, """
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using Polly;

        class Agent(IChatClient chat, ResiliencePipeline<ChatResponse> typed)
        {
            private ResiliencePipeline Pipeline { get; } = ResiliencePipeline.Empty;

            async Task<string> AskAsync(string question, CancellationToken cancellationToken)
                => (await Pipeline.ExecuteAsync(async token => await chat.GetResponseAsync(question, cancellationToken: token))).Text;
        }
        """).RunAsync();

    [Fact]
    public Task Pipeline_fix_reuses_a_typed_pipeline_only_for_its_result_type_and_an_instance_one_only_outside_static_code() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using ModelContextProtocol.Client;
        using Polly;

        class Agent
        {
            private readonly ResiliencePipeline<ChatResponse> _chatPipeline = ResiliencePipeline<ChatResponse>.Empty;

            async Task<ChatResponse> AskAsync(IChatClient chat, string question) => await [|chat.GetResponseAsync(question)|];

            static async Task<bool?> CallAsync(McpClient tools) => (await [|tools.CallToolAsync("search")|]).IsError;
        }
        """).WithFix(PipelineFix, """
        using System;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using ModelContextProtocol.Client;
        using Polly;
        using Polly.Retry;

        class Agent
        {
            private readonly ResiliencePipeline<ChatResponse> _chatPipeline = ResiliencePipeline<ChatResponse>.Empty;
            private static readonly ResiliencePipeline RetryPipeline = new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3, BackoffType = DelayBackoffType.Exponential, UseJitter = true })
                .AddTimeout(TimeSpan.FromSeconds(60))
                .Build();

            async Task<ChatResponse> AskAsync(IChatClient chat, string question) => await _chatPipeline.ExecuteAsync(async token => await chat.GetResponseAsync(question, cancellationToken: token));

            static async Task<bool?> CallAsync(McpClient tools) => (await RetryPipeline.ExecuteAsync(async token => await tools.CallToolAsync("search", cancellationToken: token))).IsError;
        }
        """).RunAsync();

    [Fact]
    public Task Pipeline_fix_all_adds_one_field_per_type() => Test("""
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using Polly;

        namespace Agents
        {
            class Researcher(IChatClient chat)
            {
                async Task<string> AskAsync(string question, CancellationToken cancellationToken)
                {
                    var draft = await [|chat.GetResponseAsync(question, cancellationToken: cancellationToken)|];
                    var review = await [|chat.GetResponseAsync("Review: " + draft.Text, cancellationToken: cancellationToken)|];
                    return review.Text;
                }

                async Task<string> TitleAsync(string text) => (await [|chat.GetResponseAsync("Title for: " + text)|]).Text;

                class Critic(IChatClient chat)
                {
                    async Task<string> CritiqueAsync(string text) => (await [|chat.GetResponseAsync("Critique: " + text)|]).Text;
                }
            }
        }
        """).WithFix(PipelineFix, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using Polly;
        using Polly.Retry;

        namespace Agents
        {
            class Researcher(IChatClient chat)
            {
                private static readonly ResiliencePipeline RetryPipeline = new ResiliencePipelineBuilder()
                    .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3, BackoffType = DelayBackoffType.Exponential, UseJitter = true })
                    .AddTimeout(TimeSpan.FromSeconds(60))
                    .Build();

                async Task<string> AskAsync(string question, CancellationToken cancellationToken)
                {
                    var draft = await RetryPipeline.ExecuteAsync(async token => await chat.GetResponseAsync(question, cancellationToken: token), cancellationToken);
                    var review = await RetryPipeline.ExecuteAsync(async token => await chat.GetResponseAsync("Review: " + draft.Text, cancellationToken: token), cancellationToken);
                    return review.Text;
                }

                async Task<string> TitleAsync(string text) => (await RetryPipeline.ExecuteAsync(async token => await chat.GetResponseAsync("Title for: " + text, cancellationToken: token))).Text;

                class Critic(IChatClient chat)
                {
                    private static readonly ResiliencePipeline RetryPipeline = new ResiliencePipelineBuilder()
                        .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3, BackoffType = DelayBackoffType.Exponential, UseJitter = true })
                        .AddTimeout(TimeSpan.FromSeconds(60))
                        .Build();

                    async Task<string> CritiqueAsync(string text) => (await RetryPipeline.ExecuteAsync(async token => await chat.GetResponseAsync("Critique: " + text, cancellationToken: token))).Text;
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Pipeline_fix_picks_free_names_for_the_field_and_the_token() => Test("""
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;

        class Agent(IChatClient chat)
        {
            private readonly string RetryPipeline = "not a pipeline";

            async Task<string> AskAsync(string token, CancellationToken cancellationToken)
                => (await [|chat.GetResponseAsync(token, cancellationToken: cancellationToken)|]).Text;
        }
        """).WithFix(PipelineFix, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using Polly;
        using Polly.Retry;

        class Agent(IChatClient chat)
        {
            private readonly string RetryPipeline = "not a pipeline";
            private static readonly ResiliencePipeline RetryPipeline1 = new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3, BackoffType = DelayBackoffType.Exponential, UseJitter = true })
                .AddTimeout(TimeSpan.FromSeconds(60))
                .Build();

            async Task<string> AskAsync(string token, CancellationToken cancellationToken)
                => (await RetryPipeline1.ExecuteAsync(async retryToken => await chat.GetResponseAsync(token, cancellationToken: retryToken), cancellationToken)).Text;
        }
        """).RunAsync();

    [Fact]
    public Task Pipeline_fix_of_an_outer_call_covers_an_awaited_call_in_its_arguments() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using Polly;

        class Agent(IChatClient chat, AIFunction lookup)
        {
            private static readonly ResiliencePipeline Pipeline = ResiliencePipeline.Empty;

            async Task<string> AskAsync() => (await [|chat.GetResponseAsync("Explain: " + await [|lookup.InvokeAsync()|])|]).Text;
        }
        """).WithFix(PipelineFix, """
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using Polly;

        class Agent(IChatClient chat, AIFunction lookup)
        {
            private static readonly ResiliencePipeline Pipeline = ResiliencePipeline.Empty;

            async Task<string> AskAsync() => (await Pipeline.ExecuteAsync(async token => await chat.GetResponseAsync("Explain: " + await lookup.InvokeAsync(), cancellationToken: token))).Text;
        }
        """).RunAsync();

    [Fact]
    public Task Pipeline_fix_all_across_documents() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class A(IChatClient chat)
        {
            async Task<string> AskAsync() => (await [|chat.GetResponseAsync("a")|]).Text;
        }
        """, """
        using System.Threading.Tasks;
        using Microsoft.Agents.AI;
        class B(AIAgent agent)
        {
            async Task<string> RunAsync() => (await [|agent.RunAsync("b")|]).Text;
        }
        """).WithFix(PipelineFix, """
        using System;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using Polly;
        using Polly.Retry;
        class A(IChatClient chat)
        {
            private static readonly ResiliencePipeline RetryPipeline = new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3, BackoffType = DelayBackoffType.Exponential, UseJitter = true })
                .AddTimeout(TimeSpan.FromSeconds(60))
                .Build();

            async Task<string> AskAsync() => (await RetryPipeline.ExecuteAsync(async token => await chat.GetResponseAsync("a", cancellationToken: token))).Text;
        }
        """, """
        using System;
        using System.Threading.Tasks;
        using Microsoft.Agents.AI;
        using Polly;
        using Polly.Retry;
        class B(AIAgent agent)
        {
            private static readonly ResiliencePipeline RetryPipeline = new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3, BackoffType = DelayBackoffType.Exponential, UseJitter = true })
                .AddTimeout(TimeSpan.FromSeconds(60))
                .Build();

            async Task<string> RunAsync() => (await RetryPipeline.ExecuteAsync(async token => await agent.RunAsync("b", cancellationToken: token))).Text;
        }
        """).RunAsync();

    // ---------------------------------------------------------------- fix: retry helper (Polly absent)

    [Fact]
    public Task Without_polly_the_helper_fix_adds_a_retry_helper_after_the_member() => Test("""
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;

        namespace Agents;

        public sealed class ResearchAgent(IChatClient chatClient)
        {
            public async Task<string> AnswerAsync(string question, CancellationToken cancellationToken)
            {
                var response = await [|chatClient.GetResponseAsync(question, cancellationToken: cancellationToken)|];
                return response.Text;
            }

            public string Name => "research";
        }
        """).WithoutReference("Polly").WithFix(HelperFix, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;

        namespace Agents;

        public sealed class ResearchAgent(IChatClient chatClient)
        {
            public async Task<string> AnswerAsync(string question, CancellationToken cancellationToken)
            {
                var response = await RetryWithBackoffAsync(async token => await chatClient.GetResponseAsync(question, cancellationToken: token), cancellationToken);
                return response.Text;
            }

            // Retries transient failures with exponential backoff and jitter; never retries the caller's cancellation.
            private static async Task<TResult> RetryWithBackoffAsync<TResult>(Func<CancellationToken, Task<TResult>> operation, CancellationToken cancellationToken = default)
            {
                const int maxRetries = 3;
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        return await operation(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception exception) when (attempt <= maxRetries && !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
                    {
                        var backoff = TimeSpan.FromMilliseconds(500 * Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble()));
                        await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            public string Name => "research";
        }
        """).WithoutFix(PipelineFix).RunAsync();

    [Fact]
    public Task Helper_fix_all_adds_one_helper_per_type_for_tasks_and_value_tasks() => Test("""
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using ModelContextProtocol.Client;

        class Router(IChatClient chat, McpClient tools)
        {
            async Task<string> RouteAsync(string question, CancellationToken cancellationToken)
            {
                var plan = await [|chat.GetResponseAsync(question, cancellationToken: cancellationToken)|];
                var result = await [|tools.CallToolAsync(plan.Text, cancellationToken: cancellationToken)|];
                return result.IsError == true ? "failed" : "done";
            }
        }
        """).WithoutReference("Polly").WithFix(HelperFix, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using ModelContextProtocol.Client;

        class Router(IChatClient chat, McpClient tools)
        {
            async Task<string> RouteAsync(string question, CancellationToken cancellationToken)
            {
                var plan = await RetryWithBackoffAsync(async token => await chat.GetResponseAsync(question, cancellationToken: token), cancellationToken);
                var result = await RetryWithBackoffAsync(async token => await tools.CallToolAsync(plan.Text, cancellationToken: token), cancellationToken);
                return result.IsError == true ? "failed" : "done";
            }

            // Retries transient failures with exponential backoff and jitter; never retries the caller's cancellation.
            private static async Task<TResult> RetryWithBackoffAsync<TResult>(Func<CancellationToken, Task<TResult>> operation, CancellationToken cancellationToken = default)
            {
                const int maxRetries = 3;
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        return await operation(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception exception) when (attempt <= maxRetries && !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
                    {
                        var backoff = TimeSpan.FromMilliseconds(500 * Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble()));
                        await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Helper_fix_reuses_the_helper_the_type_already_has() => Test("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;

        class Agent(IChatClient chat)
        {
            async Task<string> AskAsync(string question) => (await [|chat.GetResponseAsync(question)|]).Text;

            private static async Task<TResult> RetryWithBackoffAsync<TResult>(Func<CancellationToken, Task<TResult>> operation, CancellationToken cancellationToken = default)
            {
                for (var attempt = 1; ; attempt++)
                {
                    try { return await operation(cancellationToken); }
                    catch (Exception) when (attempt < 3) { await Task.Delay(100, cancellationToken); }
                }
            }
        }
        """).WithoutReference("Polly").WithFix(HelperFix, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;

        class Agent(IChatClient chat)
        {
            async Task<string> AskAsync(string question) => (await RetryWithBackoffAsync(async token => await chat.GetResponseAsync(question, cancellationToken: token))).Text;

            private static async Task<TResult> RetryWithBackoffAsync<TResult>(Func<CancellationToken, Task<TResult>> operation, CancellationToken cancellationToken = default)
            {
                for (var attempt = 1; ; attempt++)
                {
                    try { return await operation(cancellationToken); }
                    catch (Exception) when (attempt < 3) { await Task.Delay(100, cancellationToken); }
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task The_retry_helper_the_fix_writes_does_not_trip_AGS003() => RuleTest.For<SwallowedExceptionAnalyzer>().WithSource("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Agent
        {
            // Retries transient failures with exponential backoff and jitter; never retries the caller's cancellation.
            private static async Task<TResult> RetryWithBackoffAsync<TResult>(Func<CancellationToken, Task<TResult>> operation, CancellationToken cancellationToken = default)
            {
                const int maxRetries = 3;
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        return await operation(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception exception) when (attempt <= maxRetries && !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
                    {
                        var backoff = TimeSpan.FromMilliseconds(500 * Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble()));
                        await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
        """).RunAsync();

    // ---------------------------------------------------------------- fix: shapes that get no fix

    [Fact]
    public Task A_call_that_is_not_awaited_gets_no_fix() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Agent(IChatClient chat)
        {
            Task<ChatResponse> AskAsync(string question) => [|chat.GetResponseAsync(question)|];
        }
        """).WithoutFix(PipelineFix).WithoutFix(HelperFix).RunAsync();

    [Fact]
    public Task Pipeline_fix_keeps_a_null_coalescing_throw_on_its_own_line_and_the_token_after_the_lambda() => Test("""
        using System;
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Threading;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        using Polly;

        public sealed record Report(string Id, string Title);

        public sealed class ReportTools(HttpClient http)
        {
            [McpServerTool]
            public async Task<Report> GetReport(string id, CancellationToken cancellationToken)
            {
                return await [|http.GetFromJsonAsync<Report>($"reports/{id}", cancellationToken)|]
                    ?? throw new InvalidOperationException($"Report {id} was not found.");
            }
        }
        """).WithOption("agentsafety.AGS002.http_scope", "tools").WithFix(PipelineFix, """
        using System;
        using System.Net;
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Threading;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        using Polly;
        using Polly.Retry;
        using Polly.Timeout;

        public sealed record Report(string Id, string Title);

        public sealed class ReportTools(HttpClient http)
        {
            private static readonly ResiliencePipeline HttpRetryPipeline = new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    MaxRetryAttempts = 3,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldHandle = args => new ValueTask<bool>(IsTransientHttpFailure(args.Outcome.Exception, null, idempotent: true)),
                })
                .AddTimeout(TimeSpan.FromSeconds(60))
                .Build();

            [McpServerTool]
            public async Task<Report> GetReport(string id, CancellationToken cancellationToken)
            {
                return await HttpRetryPipeline.ExecuteAsync(async token => await http.GetFromJsonAsync<Report>($"reports/{id}", token), cancellationToken)
                    ?? throw new InvalidOperationException($"Report {id} was not found.");
            }

            // Whether a failed HTTP attempt may succeed when made again: no answer (a network failure, a timeout), 408, 429 or 5xx;
            // never another 4xx such as 400, 401, 403 or 404. A request that is not idempotent is sent again only after a 429.
            private static bool IsTransientHttpFailure(Exception? exception, HttpResponseMessage? response, bool idempotent)
            {
                if ((exception is null && response is null) || (exception is not null && !(exception is HttpRequestException) && !(exception is TimeoutRejectedException)))
                {
                    return false;
                }

                HttpStatusCode? status = response?.StatusCode ?? (exception as HttpRequestException)?.StatusCode;
                if (!idempotent)
                {
                    return status == HttpStatusCode.TooManyRequests;
                }

                return status is null || status == HttpStatusCode.RequestTimeout || status == HttpStatusCode.TooManyRequests || (int)status >= 500;
            }
        }
        """).RunAsync();

    [Fact]
    public Task Sending_a_request_message_made_outside_the_call_gets_no_fix() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        class Tools(HttpClient http)
        {
            [McpServerTool]
            public async Task<string> Status()
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "https://status.example");
                using var response = await [|http.SendAsync(request)|];
                return response.ReasonPhrase ?? "";
            }
        }
        """).WithOption("agentsafety.AGS002.http_scope", "tools").WithoutFix(PipelineFix).RunAsync();

    [Fact]
    public Task A_request_message_created_in_the_call_is_created_again_on_each_attempt() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        using Polly;
        class Tools(HttpClient http)
        {
            private static readonly ResiliencePipeline Pipeline = ResiliencePipeline.Empty;

            [McpServerTool]
            public async Task<string> Status()
            {
                using var response = await [|http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://status.example"))|];
                return response.ReasonPhrase ?? "";
            }
        }
        """).WithFix(PipelineFix, """
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        using Polly;
        class Tools(HttpClient http)
        {
            private static readonly ResiliencePipeline Pipeline = ResiliencePipeline.Empty;

            [McpServerTool]
            public async Task<string> Status()
            {
                using var response = await Pipeline.ExecuteAsync(async token => await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://status.example"), token));
                return response.ReasonPhrase ?? "";
            }
        }
        """).RunAsync();

    [Fact]
    public Task Synchronous_calls_and_struct_instance_members_get_no_fix() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using ModelContextProtocol.Server;
        class Tools(HttpClient http)
        {
            [McpServerTool]
            public string Ping() => [|http.Send(new HttpRequestMessage(HttpMethod.Head, "https://status.example"))|].ReasonPhrase ?? "";
        }
        struct Asker
        {
            private IChatClient _chat;
            async Task<string> AskAsync(string question) => (await [|_chat.GetResponseAsync(question)|]).Text;
        }
        """).WithoutFix(PipelineFix).RunAsync();
}
