using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes;
using Microsoft.Extensions.AI;

namespace AgentSafety.Tests.Fixes;

/// <summary>
/// AGS009's turn limit, run: the fixed loop stops a model that never finishes after the limit's number of calls, with
/// an exception that names the limit, and leaves a loop that finishes on its own as it was.
/// </summary>
public class UnboundedAgentLoopFixBehaviourTests
{
    private const string Refiner = """
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;

        public class Refiner
        {
            private readonly IChatClient _chat;

            public Refiner(IChatClient chat) => _chat = chat;

            public async Task<string> RefineAsync(string draft)
            {
                while (!draft.Contains("DONE"))
                {
                    var response = await _chat.GetResponseAsync(draft);
                    draft = response.Text;
                }

                return draft;
            }
        }
        """;

    private static readonly Lazy<Task<FixedCode>> Fixed = new(() => FixedCode.ApplyAsync(
        Refiner, new UnboundedAgentLoopAnalyzer(), new UnboundedAgentLoopCodeFixProvider(), UnboundedAgentLoopCodeFixProvider.AddTurnLimitKey));

    [Fact]
    public async Task A_model_that_never_finishes_is_stopped_after_the_turn_limit()
    {
        var chat = new ScriptedChatClient(finishAfter: int.MaxValue);
        var refiner = (await Fixed.Value).Create("Refiner", chat);

        var stopped = await Assert.ThrowsAsync<InvalidOperationException>(() => FixedCode.CallAsync(refiner, "RefineAsync", "draft"));
        Assert.Equal(10, chat.Calls);
        Assert.Contains("10", stopped.Message);
    }

    [Fact]
    public async Task A_loop_that_finishes_within_the_limit_runs_as_before()
    {
        var chat = new ScriptedChatClient(finishAfter: 3);
        var refiner = (await Fixed.Value).Create("Refiner", chat);

        Assert.Equal("DONE", await FixedCode.CallAsync(refiner, "RefineAsync", "draft"));
        Assert.Equal(3, chat.Calls);
    }

    /// <summary>Answers "again" until its <c>finishAfter</c>-th call, which answers "DONE".</summary>
    private sealed class ScriptedChatClient(int finishAfter) : IChatClient
    {
        public int Calls { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            if (Calls > 100)
            {
                throw new InvalidOperationException("the loop was not bounded");
            }

            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Calls >= finishAfter ? "DONE" : "again")));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
