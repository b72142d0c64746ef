using AgentSafety.Benchmarks.Corpus;
using AgentSafety.Benchmarks.Cost;
using AgentSafety.Tests.Verification;
using Xunit.Abstractions;

namespace AgentSafety.Tests.Cost;

/// <summary>
/// The benchmark's measurement works for every rule: the corpus compiles, each analyzer is timed, finds something
/// and throws nothing. The cost verdict itself (3 % in total, 1 % per rule) belongs to the benchmark program's
/// <c>--check</c> on the full corpus (README, "Cost"): a timed assertion here would fail on a busy machine, not on
/// a slower rule (the same small corpus measured AGS004 at 70 ms and at 229 ms under load).
/// </summary>
[Collection(nameof(CostCollection))]
public class BenchmarkSmokeTests
{
    private readonly ITestOutputHelper _output;

    public BenchmarkSmokeTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task The_measurement_times_every_rule_on_a_small_corpus()
    {
        var files = AgentCorpus.Generate(files: 30);
        var report = await CostMeasurement.MeasureAsync("generated (smoke)", files, TestReferences.Default, AnalyzerCatalog.CreateAll(), repeat: 1);
        var text = new StringWriter();
        report.Write(text, new CostBudget(MaxTotalPercent: CostBudget.DefaultTotalPercent, MaxRulePercent: CostBudget.DefaultRulePercent));
        _output.WriteLine(text.ToString());

        Assert.True(report.CompilerErrors.Count == 0, "the generated corpus must compile:\n" + text);
        Assert.True(report.Crashes.Count == 0, "an analyzer threw:\n" + text);
        Assert.True(report.CompileMilliseconds > 0, text.ToString());
        var timed = report.Rules.SelectMany(r => r.Ids.Split(',', StringSplitOptions.TrimEntries)).ToHashSet();
        Assert.All(ShippedRulesIds(), id => Assert.Contains(id, timed));
        Assert.All(report.Rules, rule => Assert.True(rule.Diagnostics > 0, $"{rule.Ids} found nothing in the generated corpus:\n{text}"));
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
