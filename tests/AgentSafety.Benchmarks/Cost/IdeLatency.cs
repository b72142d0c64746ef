using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using AgentSafety.Benchmarks.Corpus;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentSafety.Benchmarks.Cost;

/// <summary>
/// What the rules add to the analysis of one open document, as the IDE runs it: the document's semantic analysis
/// (<c>GetAnalyzerSemanticDiagnosticsAsync(model, span: null)</c>) on a compilation. Time is the rules' own execution
/// time (analyzer telemetry, before and after the document), so the compiler's binding of the document is not counted.
/// Roslyn analyzes each document in a compilation of its own (it clones the compilation with a new event queue for
/// every analysis), so what the rules keep per compilation is built again for every document; what they keep with a
/// syntax tree lasts while the file is unchanged. Cold: the first document after every file was parsed anew (a
/// solution just opened: nothing kept yet). Warm: each further document, the files unchanged. Budget: warm median at
/// most 10 ms, 95th percentile at most 50 ms.
/// </summary>
internal static class IdeLatency
{
    public const double WarmMedianBudget = 10;
    public const double WarmP95Budget = 50;

    public static async Task<bool> MeasureAsync(
        string corpusName,
        IReadOnlyList<CorpusFile> files,
        ImmutableArray<MetadataReference> references,
        ImmutableArray<DiagnosticAnalyzer> analyzers,
        int documents,
        TextWriter output,
        CSharpParseOptions? parseOptions = null,
        CSharpCompilationOptions? compilationOptions = null)
    {
        parseOptions ??= new CSharpParseOptions(LanguageVersion.Latest);
        var trees = ImmutableArray<SyntaxTree>.Empty;
        var sample = new List<SyntaxTree>();

        var cold = new List<double>();
        var warm = new List<double>();
        var warmByRule = analyzers.ToDictionary(a => a, _ => new List<double>());
        for (var round = 0; round < 3; round++)
        {
            // Round 0 warms the JIT; rounds 1 and 2 are measured. Every round parses the files anew: its first document is cold.
            trees = files.Select(f => CSharpSyntaxTree.ParseText(f.Text, parseOptions, f.Path, Encoding.UTF8)).ToImmutableArray();

            // Documents spread over the corpus, agent code among them (the generated corpus interleaves agent and business files).
            var step = Math.Max(1, trees.Length / documents);
            sample = Enumerable.Range(0, Math.Min(documents, trees.Length)).Select(i => trees[(i * step) % trees.Length]).ToList();
            var compilation = CostMeasurement.CreateCompilation(trees, references, compilationOptions);
            var analysis = compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
            var before = analyzers.ToDictionary(a => a, _ => 0.0);
            for (var i = 0; i < sample.Count; i++)
            {
                await analysis.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(sample[i]), filterSpan: null, CancellationToken.None).ConfigureAwait(false);
                var document = 0.0;
                foreach (var analyzer in analyzers)
                {
                    var after = (await analysis.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).ConfigureAwait(false)).ExecutionTime.TotalMilliseconds;
                    document += after - before[analyzer];
                    if (round > 0 && i > 0)
                    {
                        warmByRule[analyzer].Add(after - before[analyzer]);
                    }

                    before[analyzer] = after;
                }

                if (round > 0)
                {
                    (i == 0 ? cold : warm).Add(document);
                }
            }
        }

        var warmMedian = Percentile(warm, 50);
        var warmP95 = Percentile(warm, 95);
        var within = warmMedian <= WarmMedianBudget && warmP95 <= WarmP95Budget;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"IDE latency on {corpusName}: {sample.Count} documents of {trees.Length}, all AGS rules, per document analysis."));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  cold (first document, every file parsed anew, median of {cold.Count}): {Percentile(cold, 50):F1} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  warm ({warm.Count} documents): median {warmMedian:F2} ms, 95th percentile {warmP95:F2} ms, max {warm.Max():F1} ms"));
        output.WriteLine("  warm, by rule (median / 95th percentile): " + string.Join(", ", analyzers.Select(a => string.Create(
            CultureInfo.InvariantCulture, $"{AnalyzerCatalog.Ids(a)} {Percentile(warmByRule[a], 50):F2} / {Percentile(warmByRule[a], 95):F2} ms"))));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  budget: warm median <= {WarmMedianBudget} ms, 95th percentile <= {WarmP95Budget} ms: {(within ? "within budget" : "OVER BUDGET")}"));
        return within;
    }

    private static double Percentile(List<double> values, int percent)
    {
        var sorted = values.Order().ToList();
        var index = (int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }
}
