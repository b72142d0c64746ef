using System.Text.RegularExpressions;
using AgentSafety.Tests.Metadata;
using Microsoft.CodeAnalysis;

namespace AgentSafety.Tests.Package;

/// <summary>
/// The preset files the package ships (buildTransitive/config) against the rules' descriptors. That the build picks
/// them and that a user's <c>.editorconfig</c> wins is checked through the packed package in <see cref="PresetEndToEndTests"/>.
/// </summary>
public class SeverityPresetTests
{
    private const string RegenerateVariable = "AGENTSAFETY_REGENERATE_PRESETS";

    [Fact]
    public void Every_preset_file_is_generated_from_the_descriptors()
    {
        var regenerate = Environment.GetEnvironmentVariable(RegenerateVariable) == "1";
        var stale = new List<string>();
        foreach (var preset in SeverityPresets.All)
        {
            var path = Path.Combine(SeverityPresets.ConfigDirectory, preset.FileName);
            var expected = preset.Render(ShippedRules.Descriptors);
            // Line endings are the checkout's business (core.autocrlf), not the content's.
            var actual = File.Exists(path) ? File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
            if (actual == expected)
            {
                continue;
            }

            stale.Add(Describe(preset.FileName, expected, actual));
            if (regenerate)
            {
                File.WriteAllText(path, expected);
            }
        }

        Assert.True(stale.Count == 0,
            (regenerate ? "Regenerated (review the diff and commit):\n" : $"Preset files are out of date; run `{RegenerateVariable}=1 dotnet test --filter SeverityPresetTests`:\n")
            + string.Join("\n", stale));
    }

    [Fact]
    public void The_config_folder_holds_only_the_presets()
    {
        var expected = SeverityPresets.All.Select(p => p.FileName).OrderBy(n => n, StringComparer.Ordinal);
        var actual = Directory.GetFiles(SeverityPresets.ConfigDirectory).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(expected, actual);
    }

    // Independent of the generator: reads the shipped files the way the compiler does and checks what each mode promises.
    [Theory]
    [InlineData("Recommended")]
    [InlineData("Strict")]
    [InlineData("None")]
    public void Shipped_preset_sets_every_rule_as_the_mode_promises(string mode)
    {
        var preset = SeverityPresets.All.Single(p => p.Mode == mode);
        var entries = Entries(File.ReadAllText(Path.Combine(SeverityPresets.ConfigDirectory, preset.FileName)));

        Assert.Equal("true", entries["is_global"].Single());
        Assert.True(int.Parse(entries["global_level"].Single(), System.Globalization.CultureInfo.InvariantCulture) < 0, "a preset must rank below every config a user writes");
        Assert.All(ShippedRules.Descriptors, descriptor =>
        {
            var key = $"dotnet_diagnostic.{descriptor.Id}.severity";
            Assert.True(entries.TryGetValue(key, out var values), $"{preset.FileName} has no entry for {descriptor.Id}");
            var expected = mode switch
            {
                "Strict" => "error",
                "None" => "none",
                _ => descriptor.IsEnabledByDefault && descriptor.DefaultSeverity == DiagnosticSeverity.Error ? "error" : "warning",
            };
            Assert.Equal(new[] { expected }, values);
        });
        var unknown = entries.Keys.Where(k => k.StartsWith("dotnet_diagnostic.", StringComparison.Ordinal))
            .Where(k => !ShippedRules.Descriptors.Any(d => k == $"dotnet_diagnostic.{d.Id}.severity"));
        Assert.Empty(unknown);
    }

    private static Dictionary<string, List<string>> Entries(string globalConfig)
    {
        var entries = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in globalConfig.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] is not ('#' or ';')))
        {
            var match = Regex.Match(line, @"^([^=]+?)\s*=\s*(.*)$");
            Assert.True(match.Success, $"not a key = value line: {line}");
            var key = match.Groups[1].Value;
            if (!entries.TryGetValue(key, out var values))
            {
                entries[key] = values = new List<string>();
            }

            values.Add(match.Groups[2].Value);
        }

        return entries;
    }

    private static string Describe(string fileName, string expected, string? actual)
    {
        if (actual is null)
        {
            return $"  {fileName} is missing";
        }

        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        var missing = expectedLines.Except(actualLines).Select(l => $"    + {l}");
        var extra = actualLines.Except(expectedLines).Select(l => $"    - {l}");
        return $"  {fileName}:\n" + string.Join("\n", missing.Concat(extra));
    }
}
