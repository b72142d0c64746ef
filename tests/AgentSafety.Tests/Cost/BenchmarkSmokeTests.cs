using AgentSafety.Benchmarks.Corpus;
using AgentSafety.Benchmarks.Cost;
using AgentSafety.Tests.Verification;
using Xunit.Abstractions;

namespace AgentSafety.Tests.Cost;

/// <summary>
/// The benchmark's measurement on a small corpus: every rule is timed, finds something and throws nothing, and the
/// rules stay far from a gross regression. The budget proper (3 % in total, 1 % per rule) is the benchmark program's
/// <c>--check</c> on the full corpus (README, "Cost"); here, in a Debug build beside a test host's heap, a collection
/// pause can land in any rule, so the limits are several times the budget and a share is the median of five runs.
/// </summary>
[Collection(nameof(CostCollection))]
public class BenchmarkSmokeTests
{
    private readonly ITestOutputHelper _output;

    /// <summary>
    /// About twice what the nine rules take together here (8–11 % in a Debug build; a run's total share reached 17 % when
    /// a pause landed in it), ten times the budget per rule: a rule that binds out of order or walks every tree trips it.
    /// </summary>
    private static readonly CostBudget GrossRegression = new(MaxTotalPercent: 20, MaxRulePercent: 10);

    public BenchmarkSmokeTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task The_measurement_times_every_rule_on_a_small_corpus_far_from_a_gross_regression()
    {
        var files = AgentCorpus.Generate(files: 30);
        var report = await CostMeasurement.MeasureAsync("generated (smoke)", files, TestReferences.Default, AnalyzerCatalog.CreateAll(), repeat: 5);
        var text = new StringWriter();
        report.Write(text, GrossRegression);
        _output.WriteLine(text.ToString());

        Assert.True(report.CompilerErrors.Count == 0, "the generated corpus must compile:\n" + text);
        Assert.True(report.Crashes.Count == 0, "an analyzer threw:\n" + text);
        Assert.True(report.CompileMilliseconds > 0, text.ToString());
        var timed = report.Rules.SelectMany(r => r.Ids.Split(',', StringSplitOptions.TrimEntries)).ToHashSet();
        Assert.All(ShippedRulesIds(), id => Assert.Contains(id, timed));
        Assert.All(report.Rules, rule => Assert.True(rule.Diagnostics > 0, $"{rule.Ids} found nothing in the generated corpus:\n{text}"));
        Assert.True(report.Violations(GrossRegression).Count == 0, "a gross cost regression:\n" + text);
    }

    private static IEnumerable<string> ShippedRulesIds()
        => AnalyzerCatalog.CreateAll().SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct();

    [Fact]
    public void Default_corpus_is_deterministic_and_over_100k_lines()
    {
        var corpus = AgentCorpus.Generate();
        Assert.True(corpus.Sum(f => f.LineCount) >= 100_000, $"the default corpus has {corpus.Sum(f => f.LineCount):N0} lines");
        Assert.Equal(corpus, AgentCorpus.Generate());
        Assert.NotEqual(corpus.Select(f => f.Text), AgentCorpus.Generate(seed: 1).Select(f => f.Text));
    }
}

/// <summary>Cost tests run alone: timing beside other tests would measure the neighbours.</summary>
[CollectionDefinition(nameof(CostCollection), DisableParallelization = true)]
public sealed class CostCollection
{
}
