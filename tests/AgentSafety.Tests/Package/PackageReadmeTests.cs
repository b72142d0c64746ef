using System.Text.RegularExpressions;
using AgentSafety.Analyzers;
using AgentSafety.Tests.Metadata;

namespace AgentSafety.Tests.Package;

/// <summary>
/// The README NuGet shows (src/AgentSafety.Package/PACKAGE.md, packed as README.md) is read away from the repository:
/// its links are absolute, and it names every rule with its page.
/// </summary>
public class PackageReadmeTests
{
    private static readonly string Text = File.ReadAllText(RepositoryPaths.Combine("src", "AgentSafety.Package", "PACKAGE.md"));

    [Fact]
    public void Every_link_is_absolute()
    {
        var links = Regex.Matches(Text, @"\]\(([^)]+)\)").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(links);
        Assert.All(links, link => Assert.StartsWith("https://", link, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(RuleMetadataTests.RuleIdsShipped), MemberType = typeof(RuleMetadataTests))]
    public void Every_rule_is_listed_with_its_page(string id)
        => Assert.Contains($"[{id}]({RuleIds.HelpLink(id)})", Text, StringComparison.Ordinal);
}
