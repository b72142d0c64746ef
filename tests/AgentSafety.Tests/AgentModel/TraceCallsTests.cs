using AgentSafety.Analyzers.AgentModel;
using Microsoft.CodeAnalysis;

namespace AgentSafety.Tests.AgentModel;

/// <summary>TraceCalls: whether a whole method's code traces, and as it will once other methods trace.</summary>
public class TraceCallsTests
{
    private const string Source = """
        using System.Diagnostics;
        using System.IO;
        using Microsoft.Extensions.Logging;

        class Tools(ILogger logger)
        {
            void Logs() { File.Delete("a"); System.Action later = () => logger.LogInformation("deleted"); }
            void CallsLoggingHelper() { File.Delete("b"); Audit(); }
            void CallsHelperTwoDeep() => Middle();
            void Middle() => Audit();
            void Plain() => File.Delete("c");
            void CallsPlain() => Plain();
            void CallsPlainTwoDeep() => CallsPlain();
            void Scoped() { using (logger.BeginScope("x")) { File.Delete("d"); } }
            void Audit() => logger.LogInformation("audit");
        }
        """;

    [Fact]
    public void Code_traces_anywhere_in_the_body_lambdas_and_same_type_helpers_included()
    {
        var k = KnowledgeCompilation.Of(Source);
        var traces = k.Model.TraceCalls;
        bool CodeTraces(string method)
            => traces.CodeTraces(k.Model.Bodies.GetBody(k.Method("Tools", method))!, k.Type("Tools"), SymbolNameMatcher.Empty);

        Assert.True(CodeTraces("Logs"));
        Assert.True(CodeTraces("CallsLoggingHelper"));
        Assert.True(CodeTraces("CallsHelperTwoDeep"));
        Assert.False(CodeTraces("Plain"));
        Assert.False(CodeTraces("CallsPlain"));
        Assert.False(CodeTraces("Scoped"));

        // Cached per code block: asking again gives the same answer.
        Assert.True(CodeTraces("Logs"));
        Assert.False(CodeTraces("Plain"));
    }

    [Fact]
    public void Methods_about_to_trace_count_for_their_callers_two_levels_deep()
    {
        var k = KnowledgeCompilation.Of(Source);
        var traces = k.Model.TraceCalls;
        var plain = k.Method("Tools", "Plain");
        bool CodeTracesOnce(string method, Func<IMethodSymbol, bool> willTrace)
            => traces.CodeTraces(k.Model.Bodies.GetBody(k.Method("Tools", method))!, k.Type("Tools"), SymbolNameMatcher.Empty, willTrace);

        bool PlainWillTrace(IMethodSymbol m) => SymbolEqualityComparer.Default.Equals(m, plain);
        Assert.True(CodeTracesOnce("CallsPlain", PlainWillTrace));
        Assert.True(CodeTracesOnce("CallsPlainTwoDeep", PlainWillTrace));
        Assert.False(CodeTracesOnce("Scoped", PlainWillTrace));
        Assert.False(CodeTracesOnce("CallsPlain", _ => false));
    }
}
