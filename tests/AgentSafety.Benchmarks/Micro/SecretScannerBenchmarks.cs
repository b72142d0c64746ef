using System.Collections.Immutable;
using System.Text;
using AgentSafety.Benchmarks.Cost;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentSafety.Benchmarks.Micro;

/// <summary>
/// The secret scanner on one string literal of 1 KB, 64 KB and 1 MB, key-shaped (one long token, the worst case
/// for key patterns) and random text. The analyzer is found by its id, so the benchmark follows the rule wherever
/// it lives. "compile only" is the baseline: the scanner's cost is the difference, and must grow linearly.
/// </summary>
[MemoryDiagnoser]
public class SecretScannerBenchmarks
{
    public const string DefaultRuleId = "AGS001";

    private static readonly MetadataReference CoreLibrary = MetadataReference.CreateFromFile(typeof(object).Assembly.Location);

    private ImmutableArray<SyntaxTree> _trees;
    private ImmutableArray<DiagnosticAnalyzer> _analyzers;

    public enum LiteralText
    {
        KeyShaped,
        Random,
    }

    /// <summary>The rule measured; another id checks the harness while AGS001 is not there.</summary>
    public static string RuleId { get; private set; } = DefaultRuleId;

    [Params(1024, 64 * 1024, 1024 * 1024)]
    public int LiteralLength { get; set; }

    [Params(LiteralText.KeyShaped, LiteralText.Random)]
    public LiteralText Text { get; set; }

    /// <summary>Runs the micro-benchmark: <c>[--rule ID] [BenchmarkDotNet arguments]</c>.</summary>
    public static int Run(string[] args)
    {
        if (args.Length >= 2 && args[0] == "--rule")
        {
            RuleId = args[1];
            args = args[2..];
        }

        if (AnalyzerCatalog.Find(RuleId) is null)
        {
            Console.WriteLine($"Skipped: no analyzer in {AnalyzerCatalog.Assembly.GetName().Name} reports {RuleId} (the secret scanner is not there yet).");
            return 0;
        }

        // In process: the compilation's references are this process's assemblies.
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .WithOptions(ConfigOptions.JoinSummary);
        BenchmarkRunner.Run<SecretScannerBenchmarks>(config, args);
        return 0;
    }

    [GlobalSetup]
    public void Setup()
    {
        var analyzer = AnalyzerCatalog.Find(RuleId) ?? throw new InvalidOperationException($"No analyzer reports {RuleId}.");
        _analyzers = ImmutableArray.Create(analyzer);
        var source = $$"""
            namespace Secrets;

            public static class Settings
            {
                public const string ApiKey = "{{Literal(Text, LiteralLength)}}";
            }
            """;
        _trees = ImmutableArray.Create(CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), "Settings.cs", Encoding.UTF8));
    }

    [Benchmark(Baseline = true, Description = "compile only")]
    public int CompileOnly() => CostMeasurement.CreateCompilation(_trees, new[] { CoreLibrary }).GetDiagnostics().Length;

    [Benchmark(Description = "compile + scanner")]
    public int CompileAndScan()
        => CostMeasurement.CreateCompilation(_trees, new[] { CoreLibrary })
            .WithAnalyzers(_analyzers)
            .GetAnalyzerDiagnosticsAsync()
            .GetAwaiter()
            .GetResult()
            .Length;

    private static string Literal(LiteralText text, int length)
    {
        var random = new Random(length);
        var literal = new StringBuilder(length);
        if (text == LiteralText.KeyShaped)
        {
            const string Base62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            literal.Append("sk-proj-");
            while (literal.Length < length)
            {
                literal.Append(Base62[random.Next(Base62.Length)]);
            }
        }
        else
        {
            while (literal.Length < length)
            {
                var c = (char)random.Next(32, 127);
                if (c is not ('"' or '\\' or '{' or '}'))
                {
                    literal.Append(c);
                }
            }
        }

        return literal.ToString();
    }
}
