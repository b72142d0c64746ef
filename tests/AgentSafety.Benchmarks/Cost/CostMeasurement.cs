using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using AgentSafety.Benchmarks.Corpus;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentSafety.Benchmarks.Cost;

/// <summary>
/// Measures, in one process, the compiler's own binding time (<c>GetDiagnostics</c> on a fresh compilation) and
/// each analyzer's execution time (analyzer telemetry), the median of several runs after two warm-up runs. Both sides
/// run on one thread, so the ratio compares work with work whatever the number of cores. A share is taken within
/// each run (analyzer time over that run's compile time) and the median share reported: a busy machine slows both
/// sides of one run alike, so shares are steadier than times.
/// </summary>
internal static class CostMeasurement
{
    /// <summary>
    /// Runs measured but not counted. Tiered compilation with dynamic PGO takes a hot method from tier 0 through an
    /// instrumented tier to tier 1: after one warm-up run, the first measured run still spent about half of the rules'
    /// time in instrumented code (profiled: twice the rules' time of the runs after it). After two, the runs are alike:
    /// the steady state a compiler server (VBCSCompiler) runs analyzers in.
    /// </summary>
    public const int WarmUpRuns = 2;

    public static async Task<CostReport> MeasureAsync(
        string corpusName,
        IReadOnlyList<CorpusFile> files,
        ImmutableArray<MetadataReference> references,
        ImmutableArray<DiagnosticAnalyzer> analyzers,
        int repeat,
        TextWriter? progress = null,
        CSharpParseOptions? parseOptions = null,
        CSharpCompilationOptions? compilationOptions = null)
    {
        if (repeat < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(repeat), repeat, "At least one measured run is needed.");
        }

        parseOptions ??= new CSharpParseOptions(LanguageVersion.Latest);
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(f.Text, parseOptions, f.Path, Encoding.UTF8)).ToImmutableArray();
        var compileTimes = new List<double>();
        var analyzerTimes = analyzers.ToDictionary(a => a, _ => new List<double>());
        var analyzerShares = analyzers.ToDictionary(a => a, _ => new List<double>());
        var totalShares = new List<double>();
        var crashes = new ConcurrentBag<string>();
        var compilerDiagnostics = ImmutableArray<Diagnostic>.Empty;
        var found = ImmutableArray<Diagnostic>.Empty;

        for (var run = 1 - WarmUpRuns; run <= repeat; run++)
        {
            Settle();
            var stopwatch = Stopwatch.StartNew();
            compilerDiagnostics = CreateCompilation(trees, references, compilationOptions).GetDiagnostics();
            stopwatch.Stop();
            var compileMilliseconds = stopwatch.Elapsed.TotalMilliseconds;

            Settle();
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                (exception, analyzer, _) => crashes.Add($"{analyzer.GetType().Name}: {exception.GetType().Name}: {exception.Message}"),
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: true);
            var withAnalyzers = CreateCompilation(trees, references, compilationOptions).WithAnalyzers(analyzers, options);
            found = await withAnalyzers.GetAnalyzerDiagnosticsAsync().ConfigureAwait(false);

            var line = new StringBuilder(run <= 0 ? $"  warm-up {run + WarmUpRuns}/{WarmUpRuns}:" : $"  run {run}/{repeat}:").Append($" compile {compileMilliseconds:F0} ms");
            foreach (var analyzer in analyzers)
            {
                var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).ConfigureAwait(false);
                var milliseconds = telemetry.ExecutionTime.TotalMilliseconds;
                line.Append($", {AnalyzerCatalog.Ids(analyzer)} {milliseconds:F1} ms");
                if (run > 0)
                {
                    analyzerTimes[analyzer].Add(milliseconds);
                    analyzerShares[analyzer].Add(100 * milliseconds / compileMilliseconds);
                }
            }

            if (run > 0)
            {
                compileTimes.Add(compileMilliseconds);
                totalShares.Add(analyzers.Sum(a => analyzerShares[a][^1]));
            }

            progress?.WriteLine(line.ToString());
        }

        foreach (var crash in found.Where(d => d.Id == "AD0001"))
        {
            crashes.Add(crash.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        }

        var rules = analyzers.Select(a =>
        {
            var ids = a.SupportedDiagnostics.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            return new RuleCost(AnalyzerCatalog.Ids(a), a.GetType().Name, Median(analyzerTimes[a]), Median(analyzerShares[a]), found.Count(d => ids.Contains(d.Id)));
        }).ToList();

        return new CostReport(
            corpusName,
            files.Count,
            files.Sum(f => f.LineCount),
            repeat,
            Median(compileTimes),
            Median(totalShares),
            compilerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList(),
            rules,
            crashes.Distinct().Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>
    /// The compilation a build would bind, single-threaded (see the class comment): a project's own options, or for a
    /// folder a library with nullable on.
    /// </summary>
    public static CSharpCompilation CreateCompilation(IEnumerable<SyntaxTree> trees, IEnumerable<MetadataReference> references, CSharpCompilationOptions? options = null)
        => CSharpCompilation.Create(
            "AgentCorpus",
            trees,
            references,
            (options ?? new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)).WithConcurrentBuild(false));

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
