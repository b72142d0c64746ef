using System.Collections.Immutable;
using System.Globalization;
using AgentSafety.Analyzers.AgentModel;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentSafety.Tests.Robustness;

/// <summary>
/// Every analyzer runs concurrently and lets the shared generated-code filter decide (checked by initializing it on
/// a recording context), and reports the same diagnostics run after run: concurrently or not, on a fresh
/// compilation or on one whose shared model is already warm.
/// </summary>
public class ConcurrencyAndDeterminismTests
{
    public static TheoryData<string> AnalyzerNames()
    {
        var data = new TheoryData<string>();
        foreach (var analyzer in AnalysisHarness.Analyzers)
        {
            data.Add(analyzer.GetType().Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AnalyzerNames))]
    public void Analyzer_enables_concurrent_execution_and_leaves_generated_code_to_the_shared_filter(string name)
    {
        var analyzer = AnalysisHarness.Analyzers.Single(a => a.GetType().Name == name);
        var context = new RecordingAnalysisContext();
        analyzer.Initialize(context);
        Assert.True(context.ConcurrentExecutionEnabled, $"{name}.Initialize does not call EnableConcurrentExecution()");
        Assert.True(
            context.GeneratedCodeFlags == GeneratedCode.AnalysisFlags,
            $"{name}.Initialize must call ConfigureGeneratedCodeAnalysis(GeneratedCode.AnalysisFlags) and filter with GeneratedCode.Skips (got {context.GeneratedCodeFlags?.ToString() ?? "no call"})");
    }

    [Fact]
    public async Task Results_are_identical_across_runs()
    {
        var sources = FuzzCorpus.GeneratedAgentCode(files: 15).Select(f => (f.Path, f.Text))
            .Concat(FuzzCorpus.Sample())
            .Append(("Support/ImplicitUsings.cs", FuzzCorpus.ImplicitUsings))
            .ToList();
        var project = AnalysisHarness.CreateProject(sources);

        var first = await RunAsync(project, concurrent: true);
        Assert.NotEmpty(first);

        var fresh = AnalysisHarness.CreateProject(sources);
        Assert.Equal(first, await RunAsync(fresh, concurrent: true));
        Assert.Equal(first, await RunAsync(fresh, concurrent: true));
        Assert.Equal(first, await RunAsync(AnalysisHarness.CreateProject(sources), concurrent: false));
    }

    private static async Task<List<string>> RunAsync(Project project, bool concurrent)
    {
        var result = await AnalysisHarness.AnalyzeAsync(project, concurrent: concurrent);
        Assert.Empty(result.Exceptions);
        return result.Diagnostics
            .Select(d => AnalysisHarness.Describe(d) + " " + string.Join(",", d.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))
                         + " " + d.Severity.ToString())
            .ToList();
    }

    /// <summary>Records what an analyzer's Initialize asks for; registrations are accepted and ignored.</summary>
    private sealed class RecordingAnalysisContext : AnalysisContext
    {
        public bool ConcurrentExecutionEnabled { get; private set; }

        public GeneratedCodeAnalysisFlags? GeneratedCodeFlags { get; private set; }

        public override void EnableConcurrentExecution() => ConcurrentExecutionEnabled = true;

        public override void ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags analysisMode) => GeneratedCodeFlags = analysisMode;

        public override void RegisterCompilationStartAction(Action<CompilationStartAnalysisContext> action)
        {
        }

        public override void RegisterCompilationAction(Action<CompilationAnalysisContext> action)
        {
        }

        public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action)
        {
        }

        public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds)
        {
        }

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action)
        {
        }

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action)
        {
        }

        public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action)
        {
        }

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds)
        {
        }

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds)
        {
        }

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action)
        {
        }

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action)
        {
        }

        public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind)
        {
        }

        public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action)
        {
        }
    }
}
