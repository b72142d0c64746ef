using System.Diagnostics;
using System.Reflection;
using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes;
using Microsoft.Extensions.Logging;

namespace AgentSafety.Tests.Fixes;

/// <summary>
/// AGS003's fixes, run: the agent that answered "sorry" and hid the failure now rethrows it (the caller sees the same
/// exception), logs it (a logger sees it at error level, with the exception), or records it on the current trace
/// (a listener sees the exception event on the active span).
/// </summary>
public class SwallowedExceptionFixBehaviourTests
{
    private const string Agent = """
        using System;
        using Microsoft.Extensions.Logging;

        public class SupportAgent
        {
            private readonly ILogger _logger;

            public SupportAgent(ILogger logger) => _logger = logger;

            public string Answer(Func<string> model)
            {
                try
                {
                    return model();
                }
                catch (Exception)
                {
                    return "Sorry, something went wrong.";
                }
            }
        }
        """;

    // Rethrow is offered where the catch's end is reachable (it appends the throw); recording on the trace where no
    // logger is in scope (else logging is offered). Each fix is run on the shape it is offered for.
    private const string FallThroughAgent = """
        using System;

        public class SupportAgent
        {
            public SupportAgent(object unused) { }

            public string Answer(Func<string> model)
            {
                var answer = "Sorry, something went wrong.";
                try
                {
                    answer = model();
                }
                catch (Exception)
                {
                    Console.Error.WriteLine("The model failed.");
                }

                return answer;
            }
        }
        """;

    private const string AgentWithoutLogger = """
        using System;

        public class SupportAgent
        {
            public SupportAgent(object unused) { }

            public string Answer(Func<string> model)
            {
                try
                {
                    return model();
                }
                catch (Exception)
                {
                    return "Sorry, something went wrong.";
                }
            }
        }
        """;

    private static readonly InvalidOperationException Failure = new("model unavailable");

    private static string Answer(FixedCode code, object logger)
    {
        var agent = code.Create("SupportAgent", logger);
        try
        {
            return (string)agent.GetType().GetMethod("Answer")!.Invoke(agent, new object[] { new Func<string>(() => throw Failure) })!;
        }
        catch (TargetInvocationException thrown)
        {
            throw thrown.InnerException!;
        }
    }

    [Fact]
    public async Task Rethrow_lets_the_caller_see_the_failure_itself()
    {
        var code = await FixedCode.ApplyAsync(FallThroughAgent, new SwallowedExceptionAnalyzer(), new SwallowedExceptionCodeFixProvider(), SwallowedExceptionCodeFixProvider.RethrowKey);

        var thrown = Assert.Throws<InvalidOperationException>(() => Answer(code, new RecordingLogger()));
        Assert.Same(Failure, thrown);
    }

    [Fact]
    public async Task Log_writes_the_exception_at_error_level()
    {
        var code = await FixedCode.ApplyAsync(Agent, new SwallowedExceptionAnalyzer(), new SwallowedExceptionCodeFixProvider(), SwallowedExceptionCodeFixProvider.LogKey);
        var logger = new RecordingLogger();

        Assert.Equal("Sorry, something went wrong.", Answer(code, logger));
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Same(Failure, entry.Exception);
    }

    [Fact]
    public async Task Record_puts_the_exception_on_the_active_span()
    {
        var code = await FixedCode.ApplyAsync(AgentWithoutLogger, new SwallowedExceptionAnalyzer(), new SwallowedExceptionCodeFixProvider(), SwallowedExceptionCodeFixProvider.RecordOnTraceKey);
        using var source = new ActivitySource("AgentSafety.Tests.AGS003." + Guid.NewGuid().ToString("N"));
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);

        using (var span = source.StartActivity("answer"))
        {
            Assert.NotNull(span);
            Assert.Equal("Sorry, something went wrong.", Answer(code, new RecordingLogger()));
            var recorded = Assert.Single(span!.Events, e => e.Name == "exception");
            Assert.Contains(recorded.Tags, t => t.Key == "exception.message" && (string?)t.Value == Failure.Message);
        }
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<(LogLevel Level, Exception? Exception)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Entries.Add((logLevel, exception));
    }
}
