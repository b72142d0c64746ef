using AgentSafety.Benchmarks.Corpus;
using AgentSafety.Benchmarks.Cost;
using AgentSafety.Tests.Verification;
using Xunit.Abstractions;

namespace AgentSafety.Tests.Cost;

/// <summary>
/// Catches gross cost regressions only: the budget proper (3 % in total, 1 % per rule) is checked by the benchmark
/// program on the full corpus (README, "Cost"). This runs the same measurement on a small corpus, alone (not beside
/// other tests), with a generous threshold, because test machines are noisy and this build is Debug. The rules as
/// they are cost about 12 % here (AGS004 and AGS001 are over the budget, see README), so the threshold is 20 %;
/// bring it back to 10 % once they are within budget.
/// </summary>
[Collection(nameof(CostCollection))]
public class BenchmarkSmokeTests
{
    private const double GrossRegressionPercent = 20;

    private readonly ITestOutputHelper _output;

    public BenchmarkSmokeTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Rules_cost_a_small_share_of_the_compiler_time_on_a_small_corpus()
    {
        var files = AgentCorpus.Generate(files: 30);
        var report = await CostMeasurement.MeasureAsync("generated (smoke)", files, TestReferences.Default, AnalyzerCatalog.CreateAll(), repeat: 2);
        var text = new StringWriter();
        var budget = new CostBudget(MaxTotalPercent: GrossRegressionPercent, MaxRulePercent: GrossRegressionPercent);
        report.Write(text, budget);
        _output.WriteLine(text.ToString());

        Assert.True(report.CompilerErrors.Count == 0, "the generated corpus must compile:\n" + text);
        Assert.True(report.Violations(budget).Count == 0, text.ToString());
    }

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
