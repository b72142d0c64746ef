using System.Reflection;
using System.Text.RegularExpressions;
using AgentSafety.Analyzers;
using AgentSafety.Analyzers.AgentModel;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentSafety.Tests;

/// <summary>Every rule the analyzers ship is documented, listed in README and tracked in AnalyzerReleases.</summary>
public class RuleMetadataTests
{
    public static TheoryData<string> RuleIdsShipped()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in Descriptors())
        {
            data.Add(descriptor.Id);
        }

        return data;
    }

    [Fact]
    public void Every_analyzer_is_found_and_every_id_is_unique()
    {
        var descriptors = Descriptors().ToList();
        Assert.NotEmpty(descriptors);
        Assert.Equal(descriptors.Count, descriptors.Select(d => d.Id).Distinct().Count());
        Assert.All(descriptors, d => Assert.Matches("^AGS[0-9]{3}$", d.Id));
    }

    [Theory]
    [MemberData(nameof(RuleIdsShipped))]
    public void Rule_has_help_link_and_documentation_page(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        Assert.Equal(RuleIds.HelpLink(id), descriptor.HelpLinkUri);
        Assert.EndsWith($"docs/rules/{id}.md", descriptor.HelpLinkUri);

        var page = RepositoryPaths.Combine("docs", "rules", id + ".md");
        Assert.True(File.Exists(page), $"docs/rules/{id}.md is missing");
        var text = File.ReadAllText(page);
        Assert.StartsWith($"# {id} - {descriptor.Title}", text);
        Assert.Contains($"| Category | {descriptor.Category} |", text);
        Assert.Contains($"| Default severity | {descriptor.DefaultSeverity} |", text);
    }

    [Theory]
    [MemberData(nameof(RuleIdsShipped))]
    public void Rule_is_in_the_readme_table(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        var readme = File.ReadAllText(RepositoryPaths.Combine("README.md"));
        var row = readme.Split('\n').SingleOrDefault(line => line.StartsWith($"| [{id}](docs/rules/{id}.md) |", StringComparison.Ordinal));
        Assert.True(row is not null, $"README.md has no rule-table row for {id}");
        Assert.Contains($"| {descriptor.Category} | {descriptor.DefaultSeverity} |", row);
    }

    [Theory]
    [MemberData(nameof(RuleIdsShipped))]
    public void Rule_is_tracked_in_analyzer_releases(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        var releases = File.ReadAllText(RepositoryPaths.Combine("src", "AgentSafety.Analyzers", "AnalyzerReleases.Shipped.md"))
                       + File.ReadAllText(RepositoryPaths.Combine("src", "AgentSafety.Analyzers", "AnalyzerReleases.Unshipped.md"));
        Assert.Matches(new Regex($@"^{id}\s*\|\s*{descriptor.Category}\s*\|\s*{descriptor.DefaultSeverity}\s*\|", RegexOptions.Multiline), releases);
    }

    [Fact]
    public void Every_option_key_is_documented_on_its_rule_page()
    {
        var keys = typeof(AgentSafetyOptions.Keys).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            var match = Regex.Match(key, @"^agentsafety\.(AGS[0-9]{3})\.");
            var pages = match.Success
                ? new[] { RepositoryPaths.Combine("docs", "rules", match.Groups[1].Value + ".md") }
                : Directory.GetFiles(RepositoryPaths.Combine("docs", "rules"), "*.md");
            Assert.True(pages.Any(p => File.ReadAllText(p).Contains(key, StringComparison.Ordinal)), $"option {key} is not documented");
        }
    }

    private static IEnumerable<DiagnosticDescriptor> Descriptors()
        => typeof(RuleIds).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .SelectMany(a => a.SupportedDiagnostics)
            .GroupBy(d => d.Id)
            .Select(g => g.First());
}
