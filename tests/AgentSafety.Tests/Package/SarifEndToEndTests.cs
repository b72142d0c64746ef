using System.Text.Json;
using AgentSafety.Tests.Metadata;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentSafety.Tests.Package;

/// <summary>
/// README's CI command through the packed package: <c>-warnaserror</c> fails the build and <c>ErrorLog</c> writes a
/// SARIF 2.1 log that code-scanning dashboards can read: our findings, each rule's help link, in-source
/// suppressions kept for audit, and nothing of the code's string values.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(PackedPackageCollection.Name)]
public sealed class SarifEndToEndTests
{
    // Beside Agent.cs (two findings): a finding next to string literals a careless message could echo, and one
    // finding suppressed each way in source.
    private const string ToolsSource = """
        using System.Diagnostics.CodeAnalysis;

        namespace Consumer;

        public sealed class Tools
        {
            public string Forecast(string region)
            {
                try
                {
                    return Fetch("https://weather.internal.example/v2/forecast?tenant=northwind-retail");
                }
                catch (Exception) when (region != "eu-west-restricted-zone")
                {
                    return "The weather service is unavailable right now.";
                }
            }

            public void Ping()
            {
                try
                {
                    Fetch("https://status.internal.example/heartbeat");
                }
        #pragma warning disable AGS003 // Best effort: a missed heartbeat is reported by the monitor
                catch
        #pragma warning restore AGS003
                {
                }
            }

            [SuppressMessage("Reliability", "AGS003:Exception is swallowed", Justification = "The cache is optional")]
            public string? Cached()
            {
                try
                {
                    return Fetch("https://cache.internal.example/latest");
                }
                catch (Exception)
                {
                    return null;
                }
            }

            private static string Fetch(string url) => url;
        }
        """;

    private readonly PackedPackage _package;

    public SarifEndToEndTests(PackedPackage package) => _package = package;

    [Fact]
    public void The_readme_CI_command_fails_the_build_and_writes_our_findings_to_SARIF()
    {
        var consumer = ConsumerProject.Create(_package, "sarif");
        consumer.WriteFile("Tools.cs", ToolsSource);

        var build = consumer.Build("-warnaserror:AGS001,AGS003", "-p:ErrorLog=agentsafety.sarif%2Cversion=2.1");
        Assert.True(build.ExitCode != 0, "-warnaserror:AGS003 should fail the build: " + build);
        Assert.Contains("Agent.cs(11,9): error AGS003", build.Output);
        Assert.True(File.Exists(consumer.PathOf("agentsafety.sarif")), "no SARIF log was written: " + build);

        var sarifText = consumer.ReadFile("agentsafety.sarif");
        using var sarif = JsonDocument.Parse(sarifText);
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
        var run = sarif.RootElement.GetProperty("runs").EnumerateArray().Single();
        var ours = run.GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("ruleId").GetString()!.StartsWith("AGS", StringComparison.Ordinal))
            .Select(Finding.From)
            .ToList();

        // -warnaserror is MSBuild's: the build fails, the compiler's log keeps the level it reported (README says so).
        Assert.Equal(
            new[] { "AGS003 Agent.cs:11 warning", "AGS003 Agent.cs:23 warning", "AGS003 Tools.cs:13 warning" },
            ours.Where(f => f.Suppression is null).Select(f => $"{f} {f.Level}").OrderBy(s => s, StringComparer.Ordinal));
        // In-source suppressions stay in the log, marked and with their justification, so an audit can list them.
        Assert.Equal(
            new[] { "AGS003 Tools.cs:26 inSource", "AGS003 Tools.cs:39 inSource: The cache is optional" },
            ours.Where(f => f.Suppression is not null).Select(f => $"{f} {f.Suppression}").OrderBy(s => s, StringComparer.Ordinal));

        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()
            .Where(r => r.GetProperty("id").GetString()!.StartsWith("AGS", StringComparison.Ordinal))
            .ToList();
        // The log describes every rule with a finding (it may describe more of ours: each is checked below).
        Assert.Subset(rules.Select(r => r.GetProperty("id").GetString()).ToHashSet(), ours.Select(f => f.RuleId).ToHashSet());
        Assert.All(rules, rule =>
        {
            var descriptor = ShippedRules.Descriptor(rule.GetProperty("id").GetString()!);
            Assert.Equal(descriptor.HelpLinkUri, rule.GetProperty("helpUri").GetString());
            Assert.Equal(descriptor.Title.ToString(), rule.GetProperty("shortDescription").GetProperty("text").GetString());
            Assert.Equal(descriptor.Category, rule.GetProperty("properties").GetProperty("category").GetString());
        });

        // Messages and diagnostic properties both land in the log (properties as customProperties): neither may carry
        // a value from the code. Attribute arguments are metadata the log rightly keeps (a suppression's category and
        // justification); short literals are skipped, common words occur in any log.
        var literals = new[] { ConsumerProject.AgentSource, ToolsSource }
            .SelectMany(source => CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens())
            .Where(token => token.IsKind(SyntaxKind.StringLiteralToken) && token.ValueText.Length >= 8)
            .Where(token => !token.Parent!.AncestorsAndSelf().OfType<AttributeSyntax>().Any())
            .Select(token => token.ValueText)
            .ToList();
        Assert.Contains("eu-west-restricted-zone", literals);
        Assert.All(literals, literal => Assert.DoesNotContain(literal, sarifText, StringComparison.Ordinal));
    }

    private sealed record Finding(string RuleId, string File, int Line, string Level, string? Suppression)
    {
        public static Finding From(JsonElement result)
        {
            var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
            var uri = location.GetProperty("artifactLocation").GetProperty("uri").GetString()!;
            string? suppression = null;
            if (result.TryGetProperty("suppressions", out var suppressions))
            {
                var first = suppressions.EnumerateArray().Single();
                suppression = first.GetProperty("kind").GetString()
                              + (first.TryGetProperty("justification", out var justification) ? ": " + justification.GetString() : string.Empty);
            }

            return new Finding(
                result.GetProperty("ruleId").GetString()!,
                uri[(uri.LastIndexOf('/') + 1)..],
                location.GetProperty("region").GetProperty("startLine").GetInt32(),
                result.GetProperty("level").GetString()!,
                suppression);
        }

        public override string ToString() => $"{RuleId} {File}:{Line}";
    }
}
