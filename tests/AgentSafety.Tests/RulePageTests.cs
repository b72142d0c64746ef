using AgentSafety.Tests.Metadata;

namespace AgentSafety.Tests;

/// <summary>
/// The doc-lint: every rule page is built the same way (docs/rules/README.md), so a user finds what a rule reports,
/// what it leaves alone, how to fix, configure and suppress it in the same place on every page. Whether the page
/// agrees with the code is checked in <see cref="RuleMetadataTests"/>.
/// </summary>
public class RulePageTests
{
    public static TheoryData<string> RuleIdsShipped() => ShippedRules.Ids();

    [Theory]
    [MemberData(nameof(RuleIdsShipped))]
    public void Page_has_the_required_sections_in_order(string id)
    {
        var page = Page(id);
        var headings = page.Headings.Select(h => h.Heading).ToList();
        var position = -1;
        foreach (var required in RulePage.RequiredHeadings)
        {
            var found = headings.IndexOf(required, position + 1);
            Assert.True(found > position,
                $"docs/rules/{id}.md needs '{required}' after '{(position < 0 ? "the title" : headings[position])}'. Required, in order: {string.Join(" · ", RulePage.RequiredHeadings)}");
            position = found;
        }
    }

    [Theory]
    [MemberData(nameof(RuleIdsShipped))]
    public void Why_what_it_reports_and_what_it_leaves_alone_are_written(string id)
    {
        var page = Page(id);
        Assert.True(Words(page.Section("## Why")) >= 20, $"docs/rules/{id}.md: '## Why' should tell the agent failure the rule prevents");
        Assert.True(Words(page.Section("## What it reports")) >= 20, $"docs/rules/{id}.md: '## What it reports' should say precisely what is reported");
        Assert.True(
            (page.Section("### Not reported") ?? string.Empty).Split('\n').Count(l => l.StartsWith("- ", StringComparison.Ordinal)) >= 2,
            $"docs/rules/{id}.md: '### Not reported' should list, as bullets, the look-alikes the rule leaves alone");
    }

    [Theory]
    [MemberData(nameof(RuleIdsShipped))]
    public void Examples_show_non_compliant_then_compliant_code(string id)
    {
        var blocks = RulePage.CodeBlocks(Page(id).Section("## Examples") ?? string.Empty, "csharp");
        var flagged = blocks.ToList().FindIndex(b => b.Contains($"// {id}", StringComparison.Ordinal));
        var compliant = blocks.ToList().FindLastIndex(b => b.Contains("// Should be", StringComparison.Ordinal));
        Assert.True(flagged >= 0, $"docs/rules/{id}.md: a ```csharp example should mark the finding with a '// {id}: ...' comment");
        Assert.True(compliant > flagged, $"docs/rules/{id}.md: a ```csharp block starting '// Should be' should follow the non-compliant example");
    }

    [Theory]
    [MemberData(nameof(RuleIdsShipped))]
    public void Configuration_shows_the_severity_key(string id)
        => Assert.Contains($"dotnet_diagnostic.{id}.severity", Page(id).Section("## Configuration") ?? string.Empty);

    [Theory]
    [MemberData(nameof(RuleIdsShipped))]
    public void Suppression_shows_pragma_attribute_and_editorconfig(string id)
    {
        var descriptor = ShippedRules.Descriptor(id);
        var section = Page(id).Section("## Suppression") ?? string.Empty;
        Assert.Contains($"#pragma warning disable {id}", section);
        Assert.Contains($"[SuppressMessage(\"{descriptor.Category}\", \"{id}", section);
        Assert.Contains($"dotnet_diagnostic.{id}.severity = none", section);
    }

    [Fact]
    public void Every_page_belongs_to_a_shipped_rule()
        => Assert.All(RulePage.PageIds(), id => Assert.Contains(ShippedRules.Descriptors, d => d.Id == id));

    [Fact]
    public void The_guide_for_rule_authors_lists_the_required_sections()
    {
        var guide = File.ReadAllText(RepositoryPaths.Combine("docs", "rules", "README.md"));
        Assert.All(RulePage.RequiredHeadings, heading => Assert.Contains($"`{heading}`", guide));
    }

    private static RulePage Page(string id)
        => RulePage.Load(id) ?? throw new Xunit.Sdk.XunitException($"docs/rules/{id}.md is missing");

    private static int Words(string? text)
        => (text ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
}
