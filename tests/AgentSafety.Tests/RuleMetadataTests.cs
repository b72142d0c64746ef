using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using AgentSafety.Analyzers;
using AgentSafety.Tests.Metadata;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentSafety.Tests;

/// <summary>
/// The descriptors in code are the one source of truth for every rule's id, title, category, severity, help link,
/// fixes and options: README's rule table, the rule's page and AnalyzerReleases must agree with them. Every rule is
/// found by reflection; how a page is laid out is checked in <see cref="RulePageTests"/>.
/// </summary>
public class RuleMetadataTests
{
    public static TheoryData<string> RuleIdsShipped() => ShippedRules.Ids();

    [Fact]
    public void Every_analyzer_is_found_and_every_id_is_unique()
    {
        var descriptors = ShippedRules.AnalyzerTypes
            .SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)
            .ToList();
        Assert.NotEmpty(descriptors);
        // An id may carry several messages (AGS004: the tool, and its stub compensation), through descriptors of
        // one analyzer that agree on everything a user configures or reads in the rule table.
        Assert.All(descriptors.GroupBy(d => d.Id), group =>
        {
            Assert.Single(ShippedRules.AnalyzerTypes.Where(t =>
                ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics.Any(d => d.Id == group.Key)));
            Assert.Single(group.Select(d => (d.Category, d.DefaultSeverity, d.IsEnabledByDefault, d.HelpLinkUri)).Distinct());
        });
        Assert.All(descriptors, d => Assert.Matches("^AGS[0-9]{3}$", d.Id));
        Assert.All(ShippedRules.AnalyzerTypes, t => Assert.True(File.Exists(ShippedRules.AnalyzerSourcePath(t)), $"{t.Name} is not in Rules/{t.Name}.cs"));
    }

    [Theory]
    [MemberData(nameof(RuleIdsShipped))]
    public void Descriptor_lives_in_DiagnosticDescriptors_with_a_RuleIds_id_and_a_known_category(string id)
    {
        var descriptor = ShippedRules.Descriptor(id);
        var declared = typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => f.GetValue(null));
        Assert.Contains(declared, d => ReferenceEquals(d, descriptor));
        Assert.Contains(id, Constants(typeof(RuleIds)));
        Assert.Contains(descriptor.Category, Constants(typeof(DiagnosticDescriptors.Categories)));

        var title = descriptor.Title.ToString(CultureInfo.InvariantCulture);
        var message = descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture);
        Assert.False(string.IsNullOrWhiteSpace(title) || title.EndsWith('.'), $"{id}: a title is a short phrase without a final period: '{title}'");
        Assert.False(string.IsNullOrWhiteSpace(message) || message.EndsWith('.'), $"{id}: a message has no final period (the compiler appends text): '{message}'");
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString(CultureInfo.InvariantCulture)), $"{id} has no description (SARIF's fullDescription)");
    }

    [Theory]
    [MemberData(nameof(RuleIdsShipped))]
    public void Rule_has_help_link_and_documentation_page(string id)
    {
        var descriptor = ShippedRules.Descriptor(id);
        Assert.Equal(RuleIds.HelpLink(id), descriptor.HelpLinkUri);
        Assert.EndsWith($"docs/rules/{id}.md", descriptor.HelpLinkUri);

        var page = RulePage.Load(id);
        Assert.True(page is not null, $"docs/rules/{id}.md is missing");
        Assert.Equal($"# {id} - {descriptor.Title}", page.Lines[0]);
        Assert.Equal(id, page.Property("Id"));
        Assert.Equal(descriptor.Category, page.Property("Category"));
        Assert.Equal(ShippedRules.ShippedSeverity(descriptor), page.Property("Default severity"));
    }

    [Theory]
    [MemberData(nameof(RuleIdsShipped))]
    public void Rule_is_in_the_readme_table(string id)
    {
        var descriptor = ShippedRules.Descriptor(id);
        var rows = ReadmeRuleRows().Where(r => r.Id == id).ToList();
        Assert.True(rows.Count == 1, $"README.md should have one rule-table row for {id}, has {rows.Count}");
        Assert.Equal((descriptor.Category, ShippedRules.ShippedSeverity(descriptor)), (rows[0].Category, rows[0].Severity));
    }

    [Fact]
    public void Readme_table_lists_only_shipped_rules()
    {
        var rows = ReadmeRuleRows().ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Contains(ShippedRules.Descriptors, d => d.Id == row.Id));
    }

    [Theory]
    [MemberData(nameof(RuleIdsShipped))]
    public void Rule_is_tracked_in_analyzer_releases(string id)
    {
        var descriptor = ShippedRules.Descriptor(id);
        var rows = ReleaseRows().Where(r => r.Id == id).ToList();
        var added = rows.Where(r => r.Section == "New Rules").ToList();
        Assert.True(added.Count == 1, $"{id} should be added once in AnalyzerReleases (a 'New Rules' row), is added {added.Count} times");
        // A later 'Changed Rules' row supersedes it: its new category and severity come first, as in the 'New Rules' row.
        var latest = rows.Last(r => r.Section is "New Rules" or "Changed Rules");
        Assert.Equal((descriptor.Category, ShippedRules.ShippedSeverity(descriptor)), (latest.Category, latest.Severity));
        var analyzers = ShippedRules.AnalyzersOf(id).Select(t => t.Name).ToList();
        Assert.True(analyzers.Any(added[0].Notes.Contains), $"the notes of {id}'s release row should name its analyzer ({string.Join(", ", analyzers)}): {added[0].Notes}");
        Assert.Contains($"[Documentation]({descriptor.HelpLinkUri})", added[0].Notes);
    }

    [Fact]
    public void Analyzer_releases_track_only_shipped_or_removed_rules()
    {
        var rows = ReleaseRows().ToList();
        var removed = rows.Where(r => r.Section == "Removed Rules").Select(r => r.Id).ToHashSet();
        Assert.All(rows.Where(r => !removed.Contains(r.Id)), row => Assert.Contains(ShippedRules.Descriptors, d => d.Id == row.Id));
    }

    [Fact]
    public void Every_option_key_is_named_for_its_rule_or_shared()
    {
        var keys = ShippedRules.OptionKeys();
        Assert.NotEmpty(keys);
        Assert.All(keys.Values, key =>
        {
            Assert.Matches(@"^agentsafety\.(AGS[0-9]{3}\.)?[a-z][a-z0-9_]*$", key);
            if (ShippedRules.OwnerOf(key) is { } owner)
            {
                Assert.True(ShippedRules.Descriptors.Any(d => d.Id == owner), $"{key} belongs to {owner}, which no analyzer reports");
            }
        });
    }

    [Theory]
    [MemberData(nameof(RuleIdsShipped))]
    public void Every_option_key_is_documented_on_its_rule_page(string id)
    {
        var configuration = RulePage.Load(id)?.Section("## Configuration");
        Assert.True(configuration is not null, $"docs/rules/{id}.md has no '## Configuration' section");
        var rows = RulePage.CodeKeyedRows(configuration);
        Assert.All(ShippedRules.OptionKeysReadBy(id), key =>
        {
            Assert.True(rows.ContainsKey(key), $"{id} reads {key}: its page's Configuration table needs a row | `{key}` | default | meaning |");
            Assert.True(rows[key].Count >= 3 && rows[key][1].Length > 0, $"the row of {key} on docs/rules/{id}.md gives no default");
        });
    }

    [Fact]
    public void Every_shared_option_key_is_documented_with_its_default()
    {
        // Shared keys are explained once, with their default, on docs/rules/options.md; each rule page that reads
        // one lists it too (checked per rule above).
        var shared = ShippedRules.OptionKeys().Values.Where(k => ShippedRules.OwnerOf(k) is null);
        var rows = RulePage.CodeKeyedRows(File.ReadAllText(RepositoryPaths.Combine("docs", "rules", "options.md")));
        Assert.All(shared, key => Assert.True(
            rows.TryGetValue(key, out var cells) && cells.Count >= 3 && cells[1].Length > 0,
            $"shared option {key} is not in docs/rules/options.md's table with its default"));
    }

    [Theory]
    [MemberData(nameof(RuleIdsShipped))]
    public void Rule_page_names_only_option_keys_that_exist(string id)
    {
        var keys = ShippedRules.OptionKeys().Values.ToHashSet(StringComparer.Ordinal);
        var named = Regex.Matches(RulePage.Load(id)!.Text, @"\bagentsafety\.(?:AGS[0-9]{3}\.)?[a-z][a-z0-9_]*").Select(m => m.Value).Distinct();
        Assert.All(named, key => Assert.True(keys.Contains(key), $"docs/rules/{id}.md names {key}, which no analyzer reads"));
    }

    [Theory]
    [MemberData(nameof(RuleIdsShipped))]
    public void Rule_page_documents_every_fix_with_its_equivalence_key(string id)
    {
        var fixes = ShippedRules.Fixes(id);
        Assert.True(fixes.Count > 0 || !ShippedRules.HasFix(id), $"the fix provider for {id} declares no static FixKind fields");
        var section = RulePage.Load(id)!.Section("## Fixes") ?? string.Empty;
        Assert.All(fixes, fix =>
        {
            Assert.Contains($"`{fix.EquivalenceKey}`", section);
            Assert.Contains(fix.Title, section);
        });
        var documented = Regex.Matches(section, $@"`({id}\.[A-Za-z]+)`").Select(m => m.Groups[1].Value).Distinct();
        Assert.All(documented, key => Assert.Contains(fixes, f => f.EquivalenceKey == key));
    }

    private static IEnumerable<string> Constants(Type type)
        => type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

    private static IEnumerable<(string Id, string Category, string Severity)> ReadmeRuleRows()
        => File.ReadAllLines(RepositoryPaths.Combine("README.md"))
            .Select(line => Regex.Match(line, @"^\| \[(AGS[0-9]{3})\]\(docs/rules/\1\.md\) \| ([^|]*?) \| ([^|]*?) \|"))
            .Where(m => m.Success)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value));

    /// <summary>Every rule row of AnalyzerReleases.Shipped.md then .Unshipped.md, in release order, with its section.</summary>
    private static IEnumerable<(string Section, string Id, string Category, string Severity, string Notes)> ReleaseRows()
    {
        foreach (var file in new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" })
        {
            var section = string.Empty;
            foreach (var line in File.ReadAllLines(RepositoryPaths.Combine("src", "AgentSafety.Analyzers", file)))
            {
                if (line.StartsWith("### ", StringComparison.Ordinal))
                {
                    section = line[4..].Trim();
                }
                else if (Regex.Match(line, @"^(AGS[0-9]{3})\s*\|\s*([^|]*?)\s*\|\s*([^|]*?)\s*\|(.*)$") is { Success: true } row)
                {
                    yield return (section, row.Groups[1].Value, row.Groups[2].Value, row.Groups[3].Value, row.Groups[4].Value);
                }
            }
        }
    }
}
