using AgentSafety.Analyzers.AgentModel;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Tests.AgentModel;

/// <summary>
/// DisclosureSinks (what a call writes out, for AGS008) and TraceCalls.RecorderOf (what it records through): the
/// logger's message and arguments but not its level or exception, a tag's value but not its name, a prompt's text.
/// </summary>
public class DisclosureSinksTests
{
    private const string Source = """
        using System;
        using System.Diagnostics;
        using Microsoft.Extensions.AI;
        using Microsoft.Extensions.Logging;

        class Code(ILogger logger, IChatClient chat, string text, Exception error)
        {
            void Log() => logger.LogWarning(error, "Failed for {User}", text);
            void Tag(Activity activity) => activity.SetTag("user", text);
            void Start(ActivitySource source) => source.StartActivity(text);
            void Print() => Console.WriteLine(text);
            void Ask() => chat.GetResponseAsync(text);
            void Message() => new ChatMessage(ChatRole.User, text);
            void Other() => text.Trim();
        }
        """;

    private static (TraceRecorder Recorder, string Sinks) Describe(KnowledgeCompilation k, string method)
    {
        var call = k.Calls("Code", method).First();
        var recorder = call is IInvocationOperation invocation ? k.Model.TraceCalls.RecorderOf(invocation.TargetMethod, SymbolNameMatcher.Empty) : TraceRecorder.None;
        var sinks = k.Model.DisclosureSinks.Classify(call, SymbolNameMatcher.Empty);
        return (recorder, string.Join("; ", sinks.Select(s => s.Kind + " " + s.Display + " " + s.Value.Syntax)));
    }

    [Fact]
    public void Each_call_writes_out_only_its_text_values()
    {
        var k = KnowledgeCompilation.Of(Source);

        Assert.Equal((TraceRecorder.Logger, "Log LoggerExtensions.LogWarning text"), Describe(k, "Log"));
        Assert.Equal((TraceRecorder.Activity, "Trace Activity.SetTag text"), Describe(k, "Tag"));
        Assert.Equal((TraceRecorder.ActivitySource, string.Empty), Describe(k, "Start"));
        Assert.Equal((TraceRecorder.None, "Console Console.WriteLine text"), Describe(k, "Print"));
        Assert.Equal((TraceRecorder.None, "Prompt IChatClient.GetResponseAsync text"), Describe(k, "Ask"));
        Assert.Equal((TraceRecorder.None, "Prompt new ChatMessage text"), Describe(k, "Message"));
        Assert.Equal((TraceRecorder.None, string.Empty), Describe(k, "Other"));
    }
}
