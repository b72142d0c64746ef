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
    /// Warm-up runs: measured but not counted, at least <see cref="MinWarmUpRuns"/>, then more until the JIT is done
    /// (a warm-up run JIT-compiled at most <see cref="SteadyJitShare"/> of what the first one did) or <see cref="MaxWarmUpRuns"/> is reached.
    /// Tiered compilation with dynamic PGO takes a hot method from tier 0 through an instrumented tier to tier 1, on a
    /// background thread that waits for a pause in tier-0 work. On the generated corpus two runs got there; on a real
    /// project loaded by <c>--project</c> (MCP C# SDK Core, 2026-12-03) the analyzers' code was still in tier 0 or the
    /// instrumented tier in the third measured run after two warm-ups (perf samples: 1 of 218 AGS001 samples in tier-1
    /// code), and a run cost two to five times the one after tier-up. The steady state is what a compiler server
    /// (<c>VBCSCompiler</c>) and the IDE run analyzers in; the first warm-up (the cold cost a one-shot build pays, JIT
    /// included) is printed and reported beside it.
    /// </summary>
    public const int MinWarmUpRuns = 2;

    /// <summary>The most warm-up runs before measuring anyway (the report says the JIT had not settled).</summary>
    public const int MaxWarmUpRuns = 10;

    /// <summary>
    /// A warm-up run that JIT-compiled at most this share of the methods the first run compiled (all threads) ends the
    /// warm-up. Never zero: the compiler keeps compiling a few generic instantiations and lambdas in every run.
    /// </summary>
    public const double SteadyJitShare = 0.01;

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

        var warmUps = 0;
        var jitSettled = false;
        var coldShare = 0.0;
        var firstJitted = 0L;
        for (var run = 0; run <= repeat; run++)
        {
            var jitBefore = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false);
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
            var analysisWatch = Stopwatch.StartNew();
            found = await withAnalyzers.GetAnalyzerDiagnosticsAsync().ConfigureAwait(false);
            analysisWatch.Stop();
            var jitted = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false) - jitBefore;

            var warmingUp = run == 0;
            var line = new StringBuilder(warmingUp ? $"  warm-up {warmUps + 1}:" : $"  run {run}/{repeat}:").Append($" compile {compileMilliseconds:F0} ms, compile with analyzers {analysisWatch.Elapsed.TotalMilliseconds:F0} ms");
            var runTotal = 0.0;
            foreach (var analyzer in analyzers)
            {
                var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).ConfigureAwait(false);
                var milliseconds = telemetry.ExecutionTime.TotalMilliseconds;
                runTotal += milliseconds;
                line.Append($", {AnalyzerCatalog.Ids(analyzer)} {milliseconds:F1} ms");
                if (!warmingUp)
                {
                    analyzerTimes[analyzer].Add(milliseconds);
                    analyzerShares[analyzer].Add(100 * milliseconds / compileMilliseconds);
                }
            }

            line.Append($"; {jitted} methods JIT-compiled");
            progress?.WriteLine(line.ToString());
            if (warmingUp)
            {
                warmUps++;
                if (warmUps == 1)
                {
                    coldShare = 100 * runTotal / compileMilliseconds;
                    firstJitted = jitted;
                }

                jitSettled = warmUps >= MinWarmUpRuns && jitted <= SteadyJitShare * firstJitted;
                if (!jitSettled && warmUps < MaxWarmUpRuns)
                {
                    run--; // another warm-up
                }

                continue;
            }

            compileTimes.Add(compileMilliseconds);
            totalShares.Add(analyzers.Sum(a => analyzerShares[a][^1]));
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
            warmUps,
            jitSettled,
            coldShare,
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
