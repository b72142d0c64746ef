using System.Diagnostics;
using System.Reflection;
using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes;
using Microsoft.Extensions.Logging;

namespace AgentSafety.Tests.Fixes;

/// <summary>
/// AGS008's fix, run: the startup check that wrote the key into a log line, a span tag and an exception message now
/// writes "[redacted]" in its place — a logger, an activity listener and the caller see the rest of each message, and
/// nowhere the key.
/// </summary>
public class SecretDisclosureFixBehaviourTests
{
    private const string Key = "sk-proj-AgentSafetyFixTest0000000000";

    private const string Startup = """
        using System;
        using System.Diagnostics;
        using Microsoft.Extensions.Logging;

        public class Startup
        {
            private readonly ILogger _logger;

            public Startup(ILogger logger) => _logger = logger;

            public void Check(string apiKey, ActivitySource source)
            {
                _logger.LogInformation("Using key {Key} for {Region}", apiKey, "westeurope");
                _logger.LogWarning($"Key in use: {apiKey} (region westeurope)");
                using var activity = source.StartActivity("check");
                activity?.SetTag("openai.key", apiKey);
                if (!apiKey.StartsWith("sk-ant-", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("Not an Anthropic key: " + apiKey);
                }
            }
        }
        """;

    [Fact]
    public async Task Redact_keeps_each_message_and_writes_no_key()
    {
        var code = await FixedCode.ApplyAsync(Startup, new SecretDisclosureAnalyzer(), new SecretDisclosureCodeFixProvider(), SecretDisclosureCodeFixProvider.RedactKey);
        var logger = new RecordingLogger();
        using var source = new ActivitySource("AgentSafety.Tests.AGS008." + Guid.NewGuid().ToString("N"));
        var tags = new List<KeyValuePair<string, object?>>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => tags.AddRange(a.TagObjects),
        };
        ActivitySource.AddActivityListener(listener);

        var startup = code.Create("Startup", logger);
        var thrown = Assert.Throws<TargetInvocationException>(() => startup.GetType().GetMethod("Check")!.Invoke(startup, new object[] { Key, source }));

        Assert.Equal(new[] { "Using key [redacted] for westeurope", "Key in use: [redacted] (region westeurope)" }, logger.Messages);
        Assert.Contains(tags, t => t.Key == "openai.key" && (string?)t.Value == "[redacted]");
        Assert.Equal("Not an Anthropic key: [redacted]", thrown.InnerException!.Message);
        Assert.DoesNotContain(Key, string.Join("\n", logger.Messages.Concat(tags.Select(t => t.Value?.ToString())).Append(thrown.InnerException.Message)));
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<string> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Messages.Add(formatter(state, exception));
    }
}
