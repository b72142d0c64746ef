using System.Reflection;
using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes;

namespace AgentSafety.Tests.Fixes;

/// <summary>
/// AGS001's environment fix, run: the fixed program reads the secret from the variable the title names, and when the
/// variable is missing it fails at the first use with a message naming it — not with a TypeInitializationException
/// from a static field's initializer, which hides the message.
/// </summary>
public class HardcodedSecretFixBehaviourTests
{
    private static readonly string Key = "sk-proj-" + AgentSafety.Tests.Rules.Synthetic.Body(156, AgentSafety.Tests.Rules.Synthetic.Base64Url);

    private static string Program => $$"""
        public static class Program
        {
            private const string ApiKey = "{{Key}}";
            private static readonly string Organization = "org-{{AgentSafety.Tests.Rules.Synthetic.Body(24)}}";

            public static int Greeting() => 42;

            public static string Header() => "Bearer " + ApiKey;
        }
        """;

    [Fact]
    public async Task A_missing_variable_fails_at_first_use_with_a_message_naming_it()
    {
        var code = await FixedCode.ApplyAsync(Program, new HardcodedSecretAnalyzer(), new HardcodedSecretCodeFixProvider(), HardcodedSecretCodeFixProvider.EnvironmentKey);
        var program = code.Assembly.GetType("Program", throwOnError: true)!;
        var variable = System.Text.RegularExpressions.Regex.Match(code.Text, "GetEnvironmentVariable\\(\"(\\w+)\"\\)").Groups[1].Value;
        Assert.Equal("OPENAI_API_KEY", variable);
        Assert.Null(Environment.GetEnvironmentVariable(variable));

        // Code of the type that does not need the secret still runs.
        Assert.Equal(42, program.GetMethod("Greeting")!.Invoke(null, null));

        var thrown = Assert.Throws<TargetInvocationException>(() => program.GetMethod("Header")!.Invoke(null, null));
        var missing = Assert.IsType<InvalidOperationException>(thrown.InnerException);
        Assert.Contains(variable, missing.Message);
    }
}
