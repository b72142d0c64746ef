using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace AgentSafety.Tests.Robustness;

/// <summary>
/// Every fix on every rule-test fixture that compiles and is reported: each fix offered for each diagnostic, and
/// FixAll in document scope for each equivalence key, must leave code that compiles with no error.
/// </summary>
public class FixSweepTests
{
    private readonly ITestOutputHelper _output;

    public FixSweepTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Every_fix_on_every_reported_fixture_compiles()
    {
        var failures = new List<string>();
        var exercised = new HashSet<string>(StringComparer.Ordinal);
        var fixtures = 0;
        var checkedFixes = 0;
        foreach (var fixture in FuzzCorpus.RuleFixtures)
        {
            var project = AnalysisHarness.CreateProject(new[] { ("Fixture.cs", fixture.Text) });
            if ((await AnalysisHarness.CompilerErrorsAsync(project)).Count > 0)
            {
                // Option text, expected diagnostics lists, or a source that needs its test's other sources.
                continue;
            }

            var result = await AnalysisHarness.AnalyzeAsync(project);
            failures.AddRange(result.Exceptions.Select(e => $"{fixture.Name}: analyzer threw\n{e}"));
            if (result.Diagnostics.IsEmpty)
            {
                continue;
            }

            fixtures++;
            foreach (var diagnostic in result.Diagnostics)
            {
                foreach (var action in await AnalysisHarness.FixesForAsync(project, diagnostic))
                {
                    checkedFixes++;
                    await CheckAsync(project, action, $"{fixture.Name}: fix '{action.EquivalenceKey}' on {AnalysisHarness.Describe(diagnostic)}", failures);
                }
            }

            foreach (var provider in AnalysisHarness.FixProviders)
            {
                var fixable = result.Diagnostics.Where(d => provider.FixableDiagnosticIds.Contains(d.Id)).ToImmutableArray();
                var keys = new SortedSet<string>(StringComparer.Ordinal);
                foreach (var diagnostic in fixable)
                {
                    keys.UnionWith((await AnalysisHarness.FixesForAsync(project, diagnostic)).Select(a => a.EquivalenceKey ?? string.Empty));
                }

                if (keys.Count > 0)
                {
                    exercised.Add(provider.GetType().Name);
                }

                foreach (var key in keys)
                {
                    if (await AnalysisHarness.FixAllAsync(project, provider, key, fixable) is { } fixAll)
                    {
                        checkedFixes++;
                        await CheckAsync(project, fixAll, $"{fixture.Name}: FixAll '{key}'", failures);
                    }
                }
            }
        }

        _output.WriteLine($"{fixtures} reported fixtures of {FuzzCorpus.RuleFixtures.Count} harvested; {checkedFixes} fixes checked.");
        Assert.True(failures.Count == 0, $"{failures.Count} fix(es) broke the code:\n\n" + string.Join("\n\n", failures.Take(5)));
        var idle = AnalysisHarness.FixProviders.Select(p => p.GetType().Name).Where(name => !exercised.Contains(name)).ToList();
        Assert.True(idle.Count == 0, "no rule-test fixture exercises " + string.Join(", ", idle));
    }

    private static async Task CheckAsync(Project project, Microsoft.CodeAnalysis.CodeActions.CodeAction action, string what, List<string> failures)
    {
        try
        {
            var fixedProject = await AnalysisHarness.ApplyAsync(project, action);
            var errors = await AnalysisHarness.CompilerErrorsAsync(fixedProject);
            if (errors.Count > 0)
            {
                var text = await fixedProject.Documents.Single().GetTextAsync();
                failures.Add($"{what} does not compile:\n  {string.Join("\n  ", errors.Take(5))}\n{text}");
            }
        }
        catch (Exception e)
        {
            failures.Add($"{what} threw\n{e}");
        }
    }
}
