using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentSafety.Tests.Robustness;

/// <summary>
/// The IDE analyzes one open document at a time (<c>GetAnalyzerSemanticDiagnosticsAsync(model, span: null)</c> and the
/// syntax pass for its tree), a build the whole compilation at once. A rule whose answer depends on the order in which
/// the driver visits files (a type's end seen before a helper in another file, a once-per-compilation scan not run yet)
/// would squiggle differently from the build: every rule must give each file the same findings both ways.
/// </summary>
public class PerDocumentAnalysisTests
{
    [Fact]
    public async Task Each_document_gets_the_findings_of_the_full_build()
    {
        var sources = FuzzCorpus.GeneratedAgentCode(files: 12).Select(f => (f.Path, f.Text))
            .Concat(FuzzCorpus.Sample())
            .Append(("Support/ImplicitUsings.cs", FuzzCorpus.ImplicitUsings))
            .ToList();
        var project = AnalysisHarness.CreateProject(sources);
        var compilation = (await project.GetCompilationAsync())!;
        var options = new CompilationWithAnalyzersOptions(project.AnalyzerOptions, onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false);

        var full = await compilation.WithAnalyzers(AnalysisHarness.Analyzers, options).GetAnalyzerDiagnosticsAsync();
        var expected = Describe(full.Where(d => d.Location.IsInSource));
        Assert.NotEmpty(expected);
        Assert.DoesNotContain(full, d => d.Id == "AD0001");

        // A fresh driver per document, the documents in reverse order: the first file asked about is not the one a
        // build would start with, and no earlier document has warmed the shared model.
        var perDocument = new List<Diagnostic>();
        foreach (var tree in compilation.SyntaxTrees.Reverse())
        {
            var analysis = compilation.WithAnalyzers(AnalysisHarness.Analyzers, options);
            perDocument.AddRange(await analysis.GetAnalyzerSyntaxDiagnosticsAsync(tree, CancellationToken.None));
            perDocument.AddRange(await analysis.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(tree), filterSpan: null, CancellationToken.None));
        }

        Assert.DoesNotContain(perDocument, d => d.Id == "AD0001");
        var actual = Describe(perDocument.Where(d => d.Location.IsInSource));
        Assert.True(
            expected.SequenceEqual(actual),
            "Per-document analysis differs from the full build.\nOnly in the build:\n  " + string.Join("\n  ", expected.Except(actual))
            + "\nOnly per document:\n  " + string.Join("\n  ", actual.Except(expected)));
    }

    private static ImmutableArray<string> Describe(IEnumerable<Diagnostic> diagnostics)
        => diagnostics.Select(AnalysisHarness.Describe).Distinct().OrderBy(d => d, StringComparer.Ordinal).ToImmutableArray();
}
