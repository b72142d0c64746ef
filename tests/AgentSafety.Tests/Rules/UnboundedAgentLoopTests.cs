using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes;
using AgentSafety.Tests.Verification;
using Microsoft.CodeAnalysis;
using static AgentSafety.Tests.Verification.ExpectedDiagnostic;

namespace AgentSafety.Tests.Rules;

/// <summary>AGS009 — agent loops with no bound. Reads like docs/rules/AGS009.md: positives, negatives, fixes, options.</summary>
public class UnboundedAgentLoopTests
{
    private const string Id = "AGS009";
    private const string FixKey = UnboundedAgentLoopCodeFixProvider.AddTurnLimitKey;

    private static RuleTest Test(string source)
        => RuleTest.For<UnboundedAgentLoopAnalyzer, UnboundedAgentLoopCodeFixProvider>().WithSource(source);

    private static ExpectedDiagnostic Loop(int location, string call)
        => Diagnostic(Id).At(location).WithMessage($"Loop calls '{call}' with no turn, token or time limit");

    private static ExpectedDiagnostic Iterations(int location, string value)
        => Diagnostic(Id).At(location).WithMessage($"'MaximumIterationsPerRequest' of {value} leaves the agent loop unbounded");

    // ---------------------------------------------------------------- reported: loops the model alone stops

    [Fact]
    public Task While_true_that_stops_when_the_model_says_stop_is_reported_on_the_keyword() => Test("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Planner(IChatClient chat)
        {
            async Task<string> PlanAsync(List<ChatMessage> history)
            {
                {|#0:while|} (true)
                {
                    var reply = await chat.GetResponseAsync(history);
                    history.AddRange(reply.Messages);
                    if (reply.FinishReason == ChatFinishReason.Stop)
                    {
                        return reply.Text;
                    }
                }
            }
        }
        """).Expect(Loop(0, "IChatClient.GetResponseAsync").WithSeverity(DiagnosticSeverity.Warning)).RunAsync();

    [Fact]
    public Task Loop_on_a_done_flag_read_from_the_agent_is_reported() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Agents.AI;
        class Worker(AIAgent agent)
        {
            async Task RunAsync(string task)
            {
                var done = false;
                {|#0:while|} (!done)
                {
                    var response = await agent.RunAsync(task);
                    done = response.Text.Contains("DONE");
                }
            }
        }
        """).Expect(Loop(0, "AIAgent.RunAsync")).RunAsync();

    [Fact]
    public Task Do_loop_over_OpenAI_CompleteChat_is_reported_whatever_the_client_retries() => Test("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using OpenAI.Chat;
        class Refiner(ChatClient client)
        {
            async Task<string> RefineAsync(List<ChatMessage> messages)
            {
                ChatCompletion completion;
                {|#0:do|}
                {
                    completion = (await client.CompleteChatAsync(messages)).Value;
                    messages.Add(new AssistantChatMessage(completion));
                }
                while (completion.FinishReason != ChatFinishReason.Stop);
                return completion.Content[0].Text;
            }
        }
        """).Expect(Loop(0, "ChatClient.CompleteChatAsync")).RunAsync();

    [Fact]
    public Task Do_loop_over_OpenAI_responses_until_no_tool_call_is_left_is_reported() => Test("""
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        using OpenAI.Responses;
        #pragma warning disable OPENAI001
        class ToolLoop(ResponsesClient client)
        {
            async Task RunAsync(List<ResponseItem> items)
            {
                bool requiresAction;
                {|#0:do|}
                {
                    var response = (await client.CreateResponseAsync(new CreateResponseOptions("gpt-5", items))).Value;
                    items.AddRange(response.OutputItems);
                    requiresAction = response.OutputItems.OfType<FunctionCallResponseItem>().Any();
                }
                while (requiresAction);
            }
        }
        """).Expect(Loop(0, "ResponsesClient.CreateResponseAsync")).RunAsync();

    [Fact]
    public Task Endless_for_over_a_Semantic_Kernel_chat_service_is_reported() => Test("""
        using System.Threading.Tasks;
        using Microsoft.SemanticKernel.ChatCompletion;
        class Debate(IChatCompletionService chat)
        {
            async Task RunAsync(ChatHistory history)
            {
                {|#0:for|} (;;)
                {
                    var answer = await chat.GetChatMessageContentAsync(history);
                    history.Add(answer);
                    if (answer.Content == "agreed") break;
                }
            }
        }
        """).Expect(Loop(0, "IChatCompletionService.GetChatMessageContentAsync")).RunAsync();

    [Fact]
    public Task Model_call_in_the_loop_condition_is_reported() => Test("""
        using System.Threading.Tasks;
        using Microsoft.SemanticKernel;
        class Checker(Kernel kernel)
        {
            async Task WaitForYesAsync()
            {
                {|#0:while|} ((await kernel.InvokePromptAsync("Is the build green? Answer yes or no.")).ToString() != "yes")
                {
                }
            }
        }
        """).Expect(Loop(0, "Kernel.InvokePromptAsync")).RunAsync();

    [Fact]
    public Task Model_call_in_a_same_type_helper_is_reported() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Agent(IChatClient chat)
        {
            async Task LoopAsync()
            {
                string answer;
                {|#0:do|}
                {
                    answer = await AskAsync("next step?");
                }
                while (answer != "finished");
            }

            async Task<string> AskAsync(string prompt) => (await chat.GetResponseAsync(prompt)).Text;
        }
        """).Expect(Loop(0, "IChatClient.GetResponseAsync")).RunAsync();

    [Fact]
    public Task Mcp_sampling_in_a_loop_is_reported() => Test("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using ModelContextProtocol.Server;
        class Sampler
        {
            async Task<string> UntilValidAsync(McpServer server, List<ChatMessage> messages)
            {
                {|#0:while|} (true)
                {
                    var result = await server.SampleAsync(messages);
                    if (result.Text.StartsWith("{")) return result.Text;
                    messages.Add(new ChatMessage(ChatRole.User, "Answer in JSON."));
                }
            }
        }
        """).Expect(Loop(0, "McpServer.SampleAsync")).RunAsync();

    [Fact]
    public Task Reading_input_only_in_one_branch_does_not_pace_the_loop() => Test("""
        using System;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Assistant(IChatClient chat)
        {
            async Task RunAsync(string goal)
            {
                var prompt = goal;
                {|#0:while|} (true)
                {
                    var reply = await chat.GetResponseAsync(prompt);
                    if (reply.Text.EndsWith("?"))
                    {
                        prompt = Console.ReadLine() ?? "";
                    }
                    else if (reply.FinishReason == ChatFinishReason.Stop)
                    {
                        break;
                    }
                }
            }
        }
        """).Expect(Loop(0, "IChatClient.GetResponseAsync")).RunAsync();

    [Fact]
    public Task A_timed_token_the_loop_never_reads_is_no_bound() => Test("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Agent(IChatClient chat)
        {
            async Task RunAsync(string goal)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
                await chat.GetResponseAsync("warm up", cancellationToken: cts.Token);
                {|#0:while|} (true)
                {
                    var reply = await chat.GetResponseAsync(goal);
                    if (reply.Text == "done") break;
                }
            }
        }
        """).Expect(Loop(0, "IChatClient.GetResponseAsync")).RunAsync();

    [Fact]
    public Task Streaming_turns_in_a_loop_are_reported() => Test("""
        using System.Collections.Generic;
        using System.Text;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Streamer(IChatClient chat)
        {
            async Task<string> RunAsync(List<ChatMessage> history)
            {
                var text = new StringBuilder();
                {|#0:while|} (!text.ToString().Contains("FINAL"))
                {
                    await foreach (var update in chat.GetStreamingResponseAsync(history))
                    {
                        text.Append(update.Text);
                    }
                }

                return text.ToString();
            }
        }
        """).Expect(Loop(0, "IChatClient.GetStreamingResponseAsync")).RunAsync();

    [Fact]
    public Task MaximumIterationsPerRequest_above_the_limit_is_reported_on_the_assignment() => Test("""
        using Microsoft.Extensions.AI;
        class Setup
        {
            IChatClient Build(IChatClient inner)
            {
                var first = new FunctionInvokingChatClient(inner) { {|#0:MaximumIterationsPerRequest = 1000|} };
                var second = new FunctionInvokingChatClient(first);
                {|#1:second.MaximumIterationsPerRequest = int.MaxValue|};
                return second;
            }
        }
        """).Expect(Iterations(0, "1000"), Iterations(1, "int.MaxValue")).RunAsync();

    // ---------------------------------------------------------------- not reported: bounded loops

    [Fact]
    public Task Foreach_is_not_reported() => Test("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Summarizer(IChatClient chat)
        {
            async Task SummarizeAsync(IEnumerable<string> documents)
            {
                foreach (var document in documents)
                {
                    await chat.GetResponseAsync("Summarize: " + document);
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Counter_compared_in_the_condition_is_a_bound() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Planner(IChatClient chat)
        {
            const int MaxTurns = 8;
            async Task PlanAsync()
            {
                var turn = 0;
                var done = false;
                while (!done && turn < MaxTurns)
                {
                    done = (await chat.GetResponseAsync("next")).Text == "done";
                    turn++;
                }

                for (var i = 0; i < 5; i++)
                {
                    await chat.GetResponseAsync("again");
                }

                do
                {
                    await chat.GetResponseAsync("more");
                }
                while (++turn < 20);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Guarded_break_or_throw_on_a_counter_is_a_bound() => Test("""
        using System;
        using System.Threading.Tasks;
        using Microsoft.Agents.AI;
        class Worker(AIAgent agent)
        {
            const int MaxTurns = 10;
            async Task RunAsync()
            {
                var turns = 0;
                while (true)
                {
                    if (++turns > MaxTurns) break;
                    await agent.RunAsync("work");
                }

                var attempts = 0;
                while (true)
                {
                    var response = await agent.RunAsync("try");
                    if (attempts++ is > 3)
                    {
                        throw new InvalidOperationException("gave up");
                    }
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Token_budget_checked_in_the_body_is_a_bound() => Test("""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Researcher(IChatClient chat)
        {
            async Task<string> ResearchAsync(List<ChatMessage> history, long budget)
            {
                long used = 0;
                while (true)
                {
                    var reply = await chat.GetResponseAsync(history);
                    used += reply.Usage?.TotalTokenCount ?? 0;
                    if (used > budget) throw new InvalidOperationException("Token budget exhausted");
                    if (reply.FinishReason == ChatFinishReason.Stop) return reply.Text;
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Cost_budget_checked_in_the_body_is_a_bound() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Researcher(IChatClient chat)
        {
            async Task<string> ResearchAsync(decimal maxCost)
            {
                decimal spent = 0m;
                while (true)
                {
                    var reply = await chat.GetResponseAsync("dig deeper");
                    spent += 0.01m;
                    if (spent >= maxCost) return reply.Text;
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_score_the_model_gives_is_not_a_budget() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Critic(IChatClient chat)
        {
            async Task ImproveAsync()
            {
                double score = 0;
                {|#0:while|} (score < 0.9)
                {
                    score = double.Parse((await chat.GetResponseAsync("rate it 0..1")).Text);
                }
            }
        }
        """).Expect(Loop(0, "IChatClient.GetResponseAsync")).RunAsync();

    [Fact]
    public Task Elapsed_time_is_a_bound() => Test("""
        using System;
        using System.Diagnostics;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Agent(IChatClient chat, TimeProvider clock)
        {
            async Task RunAsync()
            {
                var watch = Stopwatch.StartNew();
                while (watch.Elapsed < TimeSpan.FromMinutes(2))
                {
                    await chat.GetResponseAsync("step");
                }

                var deadline = clock.GetUtcNow().AddMinutes(5);
                while (true)
                {
                    await chat.GetResponseAsync("step");
                    if (clock.GetUtcNow() > deadline) break;
                }

                while (true)
                {
                    await chat.GetResponseAsync("step");
                    if (watch.ElapsedMilliseconds > 60_000) return;
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Timed_cancellation_token_read_by_the_loop_is_a_bound() => Test("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Agent(IChatClient chat)
        {
            async Task RunAsync(CancellationToken cancellationToken)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
                while (true)
                {
                    var reply = await chat.GetResponseAsync("step", cancellationToken: cts.Token);
                    if (reply.Text == "done") break;
                }

                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                linked.CancelAfter(TimeSpan.FromSeconds(30));
                var token = linked.Token;
                while (!token.IsCancellationRequested)
                {
                    await chat.GetResponseAsync("step");
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Chat_loop_paced_by_a_person_is_not_reported() => Test("""
        using System;
        using System.IO;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Repl(IChatClient chat, TextReader input)
        {
            async Task RunAsync()
            {
                while (true)
                {
                    Console.Write("> ");
                    var line = Console.ReadLine();
                    if (string.IsNullOrEmpty(line)) break;
                    Console.WriteLine((await chat.GetResponseAsync(line)).Text);
                }

                string? next;
                while ((next = await input.ReadLineAsync()) is not null)
                {
                    await chat.GetResponseAsync(next);
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Chat_loop_reading_a_console_of_the_application_own_is_paced_by_its_input() => Test("""
        using System.Collections.Generic;
        using System.IO;
        using System.Text;
        using System.Threading.Tasks;
        using Microsoft.SemanticKernel;
        using Microsoft.SemanticKernel.ChatCompletion;

        // A docs sample base: 'Console' is the test's own writer, so the sample reads like a console app; its
        // ReadLine gives the next scripted line of the person's input, null when there is none left.
        public abstract class DocsSample : TextWriter
        {
            public DocsSample Console => this;
            public override Encoding Encoding => Encoding.UTF8;
        }

        public abstract class ScriptedChatSample(IEnumerable<string> lines) : DocsSample
        {
            private readonly Queue<string> _lines = new(lines);
            public string? ReadLine() => _lines.Count > 0 ? _lines.Dequeue() : null;
            public Task<string?> ReadLineAsync() => Task.FromResult(ReadLine());
        }

        public static class DocsSampleInput
        {
            public static string? ReadLine(this DocsSample sample) => (sample as ScriptedChatSample)?.ReadLine();
        }

        public class LightsChat() : DocsSample
        {
            public async Task RunAsync(Kernel kernel)
            {
                var chat = kernel.GetRequiredService<IChatCompletionService>();
                var history = new ChatHistory();
                string? userInput;
                while ((userInput = Console.ReadLine()) is not null)
                {
                    history.AddUserMessage(userInput);
                    var result = await chat.GetChatMessageContentAsync(history, kernel: kernel);
                    history.Add(result);
                    Console.Write("User > ");
                }
            }
        }

        public class TripPlanner() : ScriptedChatSample(["Plan a trip", "Make it cheaper"])
        {
            public async Task RunAsync(IChatCompletionService chat, ChatHistory history)
            {
                while (true)
                {
                    Console.Write("User > ");
                    var request = ReadLine();
                    if (request is null) break;
                    history.AddUserMessage(request);
                    history.Add(await chat.GetChatMessageContentAsync(history));
                }

                string? next;
                while ((next = await ReadLineAsync()) is not null)
                {
                    history.AddUserMessage(next);
                    await foreach (var update in chat.GetStreamingChatMessageContentsAsync(history))
                    {
                        Console.Write(update.Content);
                    }
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_line_read_once_before_the_loop_does_not_pace_it() => Test("""
        using System;
        using System.Threading.Tasks;
        using Microsoft.SemanticKernel;
        using Microsoft.SemanticKernel.ChatCompletion;
        class OneQuestion
        {
            async Task RunAsync(Kernel kernel, ChatHistory history)
            {
                var chat = kernel.GetRequiredService<IChatCompletionService>();
                string? userInput = Console.ReadLine();
                {|#0:while|} (userInput is not null)
                {
                    history.AddUserMessage(userInput);
                    var result = await chat.GetChatMessageContentAsync(history, kernel: kernel);
                    history.Add(result);
                }
            }
        }
        """).Expect(Loop(0, "IChatCompletionService.GetChatMessageContentAsync")).RunAsync();

    [Fact]
    public Task Loop_paced_by_a_channel_a_queue_or_a_timer_is_not_reported() => Test("""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Channels;
        using System.Threading.Tasks;
        using Microsoft.Agents.AI;
        class Service(AIAgent agent, ChannelReader<string> jobs, Queue<string> queue)
        {
            async Task RunAsync(CancellationToken stoppingToken)
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    var job = await jobs.ReadAsync(stoppingToken);
                    await agent.RunAsync(job);
                }

                while (await jobs.WaitToReadAsync(stoppingToken))
                {
                    await agent.RunAsync("drain");
                }

                while (true)
                {
                    await agent.RunAsync(queue.Dequeue());
                }
            }

            async Task PollAsync(CancellationToken stoppingToken)
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    await agent.RunAsync("check the inbox");
                    await Task.Delay(TimeSpan.FromMinutes(1), stoppingToken);
                }

                using var timer = new PeriodicTimer(TimeSpan.FromMinutes(5));
                while (await timer.WaitForNextTickAsync(stoppingToken))
                {
                    await agent.RunAsync("report");
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Blocking_queues_and_sleeps_pace_a_loop() => Test("""
        using System.Collections.Concurrent;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Worker(IChatClient chat, BlockingCollection<string> inbox)
        {
            async Task RunAsync()
            {
                while (true)
                {
                    var item = inbox.Take();
                    await chat.GetResponseAsync(item);
                }
            }

            async Task PollAsync()
            {
                do
                {
                    Thread.Sleep(30_000);
                    await chat.GetResponseAsync("anything new?");
                }
                while (true);
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_limit_checked_only_inside_a_lambda_is_no_bound() => Test("""
        using System;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Agent(IChatClient chat)
        {
            async Task RunAsync()
            {
                var turns = 0;
                {|#0:while|} (true)
                {
                    Func<bool> tooMany = () => turns > 10;
                    var reply = await chat.GetResponseAsync("go");
                    if (reply.Text == "done") break;
                }
            }
        }
        """).Expect(Loop(0, "IChatClient.GetResponseAsync")).RunAsync();

    [Fact]
    public Task Retry_loop_with_a_counted_catch_filter_is_a_bound() => Test("""
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Caller(IChatClient chat)
        {
            async Task<ChatResponse> AskAsync()
            {
                var attempt = 0;
                while (true)
                {
                    try
                    {
                        return await chat.GetResponseAsync("hi");
                    }
                    catch (HttpRequestException) when (++attempt < 3)
                    {
                    }
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Model_calls_in_lambdas_and_local_functions_are_not_in_the_loop() => Test("""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Builder(IChatClient chat)
        {
            void Build(List<Func<Task<ChatResponse>>> steps, int count)
            {
                var i = 0;
                while (true)
                {
                    steps.Add(() => chat.GetResponseAsync("step"));
                    Task<ChatResponse> Local() => chat.GetResponseAsync("local");
                    steps.Add(Local);
                    if (steps.Count == count) break;
                    i++;
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Loop_without_model_calls_is_not_reported() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        class Poller(HttpClient http)
        {
            async Task WaitAsync()
            {
                while (true)
                {
                    var status = await http.GetStringAsync("https://status.example/");
                    if (status == "ready") break;
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task MaximumIterationsPerRequest_up_to_the_limit_is_not_reported() => Test("""
        using Microsoft.Extensions.AI;
        class Setup
        {
            IChatClient Build(IChatClient inner, int configured)
            {
                var client = new FunctionInvokingChatClient(inner) { MaximumIterationsPerRequest = 50 };
                client.MaximumIterationsPerRequest = 20;
                client.MaximumIterationsPerRequest = configured;
                return client;
            }
        }
        """).RunAsync();

    [Fact]
    public Task Generated_code_is_not_reported() => Test("""
        // <auto-generated/>
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        class Generated(IChatClient chat)
        {
            async Task RunAsync()
            {
                while (true)
                {
                    if ((await chat.GetResponseAsync("go")).Text == "stop") break;
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Method_of_another_type_is_not_followed() => Test("""
        using System.Threading.Tasks;
        class Other
        {
            public Task<string> NextAsync() => Task.FromResult("x");
        }
        class Runner(Other other)
        {
            async Task RunAsync()
            {
                while (await other.NextAsync() != "stop")
                {
                }
            }
        }
        """).RunAsync();

    // ---------------------------------------------------------------- options

    [Fact]
    public Task Max_iterations_option_lowers_and_raises_the_limit() => Test("""
        using Microsoft.Extensions.AI;
        class Setup
        {
            IChatClient Build(IChatClient inner)
                => new FunctionInvokingChatClient(inner) { {|#0:MaximumIterationsPerRequest = 12|} };
        }
        """).WithOption("agentsafety.AGS009.max_iterations", "10").Expect(Iterations(0, "12")).RunAsync();

    [Fact]
    public Task Max_iterations_option_can_allow_more() => Test("""
        using Microsoft.Extensions.AI;
        class Setup
        {
            IChatClient Build(IChatClient inner)
                => new FunctionInvokingChatClient(inner) { MaximumIterationsPerRequest = 100 };
        }
        """).WithOption("agentsafety.AGS009.max_iterations", "200").RunAsync();

    // ---------------------------------------------------------------- fix

    [Fact]
    public Task Fix_adds_a_turn_limit_before_the_loop_and_a_guard_first_in_its_body() => Test("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;

        class Planner(IChatClient chat)
        {
            async Task<string> PlanAsync(List<ChatMessage> history)
            {
                {|#0:while|} (true)
                {
                    var reply = await chat.GetResponseAsync(history);
                    if (reply.FinishReason == ChatFinishReason.Stop) return reply.Text;
                }
            }
        }
        """).Expect(Loop(0, "IChatClient.GetResponseAsync")).WithFix(FixKey, """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;

        class Planner(IChatClient chat)
        {
            async Task<string> PlanAsync(List<ChatMessage> history)
            {
                const int MaxTurns = 10;
                var turns = 0;
                while (true)
                {
                    if (++turns > MaxTurns)
                    {
                        throw new InvalidOperationException($"The agent loop stopped after {MaxTurns} turns.");
                    }

                    var reply = await chat.GetResponseAsync(history);
                    if (reply.FinishReason == ChatFinishReason.Stop) return reply.Text;
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Fix_all_gives_each_loop_its_own_names_and_wraps_a_single_statement_body() => Test("""
        using System;
        using System.Threading.Tasks;
        using Microsoft.Agents.AI;

        class Worker(AIAgent agent)
        {
            async Task RunAsync()
            {
                string text;
                {|#0:do|}
                    text = (await agent.RunAsync("work")).Text;
                while (text != "done");

                {|#1:while|} ((await agent.RunAsync("more?")).Text == "yes")
                {
                }
            }
        }
        """).Expect(Loop(0, "AIAgent.RunAsync"), Loop(1, "AIAgent.RunAsync")).WithFix(FixKey, """
        using System;
        using System.Threading.Tasks;
        using Microsoft.Agents.AI;

        class Worker(AIAgent agent)
        {
            async Task RunAsync()
            {
                string text;
                const int MaxTurns = 10;
                var turns = 0;
                do
                {
                    if (++turns > MaxTurns)
                    {
                        throw new InvalidOperationException($"The agent loop stopped after {MaxTurns} turns.");
                    }

                    text = (await agent.RunAsync("work")).Text;
                }
                while (text != "done");

                const int MaxAgentTurns = 10;
                var agentTurns = 0;
                while ((await agent.RunAsync("more?")).Text == "yes")
                {
                    if (++agentTurns > MaxAgentTurns)
                    {
                        throw new InvalidOperationException($"The agent loop stopped after {MaxAgentTurns} turns.");
                    }
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Fix_works_in_top_level_statements() => Test("""
        using System;
        using Microsoft.Extensions.AI;

        IChatClient chat = null!;
        {|#0:while|} (true)
        {
            var reply = await chat.GetResponseAsync("go on");
            if (reply.Text == "stop") break;
        }
        """).WithOutputKind(OutputKind.ConsoleApplication).Expect(Loop(0, "IChatClient.GetResponseAsync")).WithFix(FixKey, """
        using System;
        using Microsoft.Extensions.AI;

        IChatClient chat = null!;
        const int MaxTurns = 10;
        var turns = 0;
        while (true)
        {
            if (++turns > MaxTurns)
            {
                throw new InvalidOperationException($"The agent loop stopped after {MaxTurns} turns.");
            }

            var reply = await chat.GetResponseAsync("go on");
            if (reply.Text == "stop") break;
        }
        """).RunAsync();

    [Fact]
    public Task Fix_is_not_offered_for_a_loop_that_is_not_in_a_block() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;

        class Agent(IChatClient chat)
        {
            async Task RunAsync(bool enabled)
            {
                if (enabled)
                    {|#0:while|} ((await chat.GetResponseAsync("again?")).Text == "yes") { }
            }
        }
        """).Expect(Loop(0, "IChatClient.GetResponseAsync")).WithoutFix(FixKey).RunAsync();
}
