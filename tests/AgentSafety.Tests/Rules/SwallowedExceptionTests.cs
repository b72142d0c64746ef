using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes;
using AgentSafety.Tests.Verification;

namespace AgentSafety.Tests.Rules;

public class SwallowedExceptionTests
{
    private static RuleTest Test(string source)
        => RuleTest.For<SwallowedExceptionAnalyzer, SwallowedExceptionCodeFixProvider>().WithSource(source);

    [Fact]
    public Task Smoke() => Test("""
        using System;
        class C
        {
            string M()
            {
                try { return Work(); }
                [|catch (Exception)|] { return "sorry"; }
            }
            string Work() => "";
        }
        """).RunAsync();
}
