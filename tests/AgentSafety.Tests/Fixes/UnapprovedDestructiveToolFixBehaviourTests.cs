using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes;
using Microsoft.Extensions.AI;

namespace AgentSafety.Tests.Fixes;

/// <summary>
/// AGS007's "Require approval" fix, run: a model asks the fixed tool to delete a file through a real
/// <c>FunctionInvokingChatClient</c>; the client hands back an approval request and the file is still there, where the
/// same tool without the fix deletes it at once.
/// </summary>
public class UnapprovedDestructiveToolFixBehaviourTests
{
    private const string Tools = """
        using System.IO;
        using Microsoft.Extensions.AI;

        public static class FileTools
        {
            public static AIFunction Wipe() => AIFunctionFactory.Create((string path) => File.Delete(path), "wipe");
        }
        """;

    [Fact]
    public async Task The_model_gets_an_approval_request_and_nothing_is_deleted_until_a_person_approves()
    {
        var code = await FixedCode.ApplyAsync(Tools, new UnapprovedDestructiveToolAnalyzer(), new UnapprovedDestructiveToolCodeFixProvider(), UnapprovedDestructiveToolCodeFixProvider.RequireApprovalKey);
        var wipe = (AIFunction)code.Assembly.GetType("FileTools", throwOnError: true)!.GetMethod("Wipe")!.Invoke(null, null)!;

        var file = Path.GetTempFileName();
        try
        {
            var response = await AskToWipeAsync(wipe, file);
            Assert.True(File.Exists(file), "the fixed tool deleted the file without approval");
            Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>());

            // The same tool without the fix: the client runs it as soon as the model asks.
            await AskToWipeAsync(AIFunctionFactory.Create((string path) => File.Delete(path), "wipe"), file);
            Assert.False(File.Exists(file), "the unfixed tool should have run: the test would prove nothing");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<ChatResponse> AskToWipeAsync(AIFunction tool, string path)
    {
        using var client = new FunctionInvokingChatClient(new ModelAskingToWipe(path));
        return await client.GetResponseAsync("Clean up.", new ChatOptions { Tools = new List<AITool> { tool } });
    }

    /// <summary>A model that calls <c>wipe</c> on its first turn and answers in text after that.</summary>
    private sealed class ModelAskingToWipe(string path) : IChatClient
    {
        private int _turns;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var message = ++_turns == 1
                ? new ChatMessage(ChatRole.Assistant, new List<AIContent> { new FunctionCallContent("call-1", "wipe", new Dictionary<string, object?> { ["path"] = path }) })
                : new ChatMessage(ChatRole.Assistant, "Done.");
            return Task.FromResult(new ChatResponse(message));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
