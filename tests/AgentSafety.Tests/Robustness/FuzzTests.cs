using System.Collections.Immutable;
using System.Diagnostics;
using AgentSafety.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;

namespace AgentSafety.Tests.Robustness;

/// <summary>
/// Half-typed code must never make an analyzer or a fix throw. A deterministic fuzzer breaks the sample, the rule
/// tests' sources, the language constructs and generated agent code (tokens deleted, duplicated or swapped, lines
/// deleted, files cut off), analyzes them in batches with every analyzer — with all references, with the framework
/// only, with none, with generated code analyzed — and applies every fix offered on a sample of what they report
/// (and FixAll on every other batch): fixes cost far more than analysis, and their code paths repeat.
/// </summary>
public class FuzzTests
{
    private readonly ITestOutputHelper _output;

    public FuzzTests(ITestOutputHelper output) => _output = output;

    private const int Seed = 20260;
    private const int MinimumVariants = 1000;
    private const int BatchSize = 10;
    private const int FixedDiagnosticsPerBatch = 2;

    [Fact]
    public async Task No_analyzer_or_fix_throws_on_broken_code()
    {
        var random = new Random(Seed);
        var seeds = Seeds();
        var variants = new List<(string Name, string Text)>(seeds);
        while (variants.Count < seeds.Count + MinimumVariants)
        {
            var (name, text) = seeds[random.Next(seeds.Count)];
            var (mutated, how) = SourceMutator.Mutate(text, random);
            variants.Add(($"{name} [{how}]", mutated));
        }

        var failures = new List<string>();
        var stopwatch = Stopwatch.StartNew();
        var diagnosticsSeen = 0;
        var fixesApplied = 0;
        var batches = variants.Chunk(BatchSize).ToList();
        for (var index = 0; index < batches.Count; index++)
        {
            var batch = batches[index];
            var mode = (BatchMode)(index % 4);
            var sources = new List<(string Path, string Text)>();
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < batch.Length; i++)
            {
                // Some variants live in generated-code files, so both sides of agentsafety.generated_code run.
                var path = $"Batch{index}/V{i}" + (i % 7 == 3 ? ".g.cs" : ".cs");
                sources.Add((path, batch[i].Text));
                names[AnalysisHarness.SourceRoot + path] = batch[i].Name;
            }

            if (mode is BatchMode.AllReferences or BatchMode.AnalyzeGeneratedCode)
            {
                sources.Add(("Support/ImplicitUsings.cs", FuzzCorpus.ImplicitUsings));
            }

            var project = AnalysisHarness.CreateProject(
                sources,
                mode switch
                {
                    BatchMode.FrameworkOnly => AnalysisHarness.FrameworkOnly,
                    BatchMode.NoReferences => ImmutableArray<MetadataReference>.Empty,
                    _ => TestReferences.Default,
                },
                mode == BatchMode.AnalyzeGeneratedCode ? "agentsafety.generated_code = analyze" : null);
            var describeBatch = $"batch {index} ({mode}):\n  " + string.Join("\n  ", names.Select(p => $"{p.Key}: {p.Value}"));

            var result = await AnalysisHarness.AnalyzeAsync(project);
            failures.AddRange(result.Exceptions.Select(e => $"analyzer threw in {describeBatch}\n{e}"));
            diagnosticsSeen += result.Diagnostics.Length;

            foreach (var diagnostic in result.Diagnostics.Take(FixedDiagnosticsPerBatch))
            {
                try
                {
                    foreach (var action in await AnalysisHarness.FixesForAsync(project, diagnostic))
                    {
                        await AnalysisHarness.ApplyAsync(project, action);
                        fixesApplied++;
                    }
                }
                catch (Exception e)
                {
                    failures.Add($"a fix threw on {AnalysisHarness.Describe(diagnostic)} in {describeBatch}\n{e}");
                }
            }

            if (index % 2 == 1)
            {
                fixesApplied += await FixAllAsync(project, result.Diagnostics, describeBatch, failures);
            }
        }

        _output.WriteLine($"{variants.Count - seeds.Count} variants of {seeds.Count} seeds in {batches.Count} batches: {diagnosticsSeen} diagnostics, {fixesApplied} fixes applied, {stopwatch.Elapsed.TotalSeconds:F1} s");
        Assert.True(failures.Count == 0, $"{failures.Count} failure(s):\n\n" + string.Join("\n\n", failures.Take(5)));
        Assert.True(variants.Count - seeds.Count >= MinimumVariants);
        Assert.True(diagnosticsSeen > 0 && fixesApplied > 0, $"the fuzz found {diagnosticsSeen} diagnostics and applied {fixesApplied} fixes: it exercises nothing");
    }

    [Fact]
    public async Task The_harness_reports_an_analyzer_that_throws()
    {
        var project = AnalysisHarness.CreateProject(new[] { ("C.cs", "class C { void M() { try { } catch { } } }") });
        var result = await AnalysisHarness.AnalyzeAsync(project, ImmutableArray.Create<DiagnosticAnalyzer>(new ThrowingAnalyzer()));
        Assert.Contains(result.Exceptions, e => e.Contains(nameof(ThrowingAnalyzer), StringComparison.Ordinal));
    }

    /// <summary>FixAll in document scope for each provider and equivalence key, over one document's diagnostics.</summary>
    private static async Task<int> FixAllAsync(Project project, ImmutableArray<Diagnostic> diagnostics, string describeBatch, List<string> failures)
    {
        var applied = 0;
        foreach (var provider in AnalysisHarness.FixProviders)
        {
            var fixable = diagnostics.Where(d => provider.FixableDiagnosticIds.Contains(d.Id)).ToList();
            if (fixable.Count == 0)
            {
                continue;
            }

            var document = fixable.GroupBy(d => d.Location.SourceTree).OrderByDescending(g => g.Count()).First().ToImmutableArray();
            try
            {
                var keys = new HashSet<string>(StringComparer.Ordinal);
                foreach (var diagnostic in document)
                {
                    foreach (var action in await AnalysisHarness.FixesForAsync(project, diagnostic))
                    {
                        keys.Add(action.EquivalenceKey ?? string.Empty);
                    }
                }

                foreach (var key in keys.Order(StringComparer.Ordinal))
                {
                    if (await AnalysisHarness.FixAllAsync(project, provider, key, document) is { } fixAll)
                    {
                        await AnalysisHarness.ApplyAsync(project, fixAll);
                        applied++;
                    }
                }
            }
            catch (Exception e)
            {
                failures.Add($"FixAll of {provider.GetType().Name} threw in {describeBatch}\n{e}");
            }
        }

        return applied;
    }

    private static List<(string Name, string Text)> Seeds()
    {
        var seeds = new List<(string Name, string Text)>();
        seeds.AddRange(FuzzCorpus.Sample());
        seeds.AddRange(FuzzCorpus.RuleFixtures.Select(f => (f.Name, f.Text)));
        seeds.AddRange(LanguageConstructs.All);
        seeds.AddRange(FuzzCorpus.GeneratedAgentCode(files: 12).Select(f => (f.Path, f.Text)));
        return seeds;
    }

    // Handed to the driver directly, so it needs no [DiagnosticAnalyzer] attribute (which would make the analyzer
    // packaging rules apply to this test assembly).
#pragma warning disable RS1001, RS2008 // A test double: neither discovered nor shipped.
    private sealed class ThrowingAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new("TEST001", "Throws", "Throws", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterSyntaxNodeAction(_ => throw new InvalidOperationException("boom"), Microsoft.CodeAnalysis.CSharp.SyntaxKind.CatchClause);
        }
    }
#pragma warning restore RS1001, RS2008

    private enum BatchMode
    {
        AllReferences,
        AnalyzeGeneratedCode,
        FrameworkOnly,
        NoReferences,
    }
}
