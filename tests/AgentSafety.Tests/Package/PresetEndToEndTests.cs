using System.Text.Json;

namespace AgentSafety.Tests.Package;

/// <summary>
/// <c>AgentSafetyMode</c> through the packed package and the real SDK: the mode picks its preset, <c>Strict</c> fails
/// the build, a user's <c>.editorconfig</c> wins over the preset, <c>None</c> silences every rule.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(PackedPackageCollection.Name)]
public sealed class PresetEndToEndTests
{
    private readonly PackedPackage _package;

    public PresetEndToEndTests(PackedPackage package) => _package = package;

    [Fact]
    public void Each_mode_hands_its_preset_file_to_the_compiler()
    {
        var consumer = ConsumerProject.Create(_package, "modes");
        var restore = consumer.Dotnet("restore", ConsumerProject.ProjectFile);
        Assert.True(restore.ExitCode == 0, "restore failed: " + restore);

        // Values are case-insensitive in MSBuild conditions (users write "strict"); "Strict" is built below.
        foreach (var (mode, expected) in new[]
                 {
                     ("", null), ("Default", null), ("Recommended", "agentsafety_recommended.globalconfig"),
                     ("strict", "agentsafety_strict.globalconfig"), ("None", "agentsafety_none.globalconfig"),
                 })
        {
            var evaluation = consumer.Dotnet("msbuild", ConsumerProject.ProjectFile, "-nologo", "-getItem:GlobalAnalyzerConfigFiles", "-p:AgentSafetyMode=" + mode);
            Assert.True(evaluation.ExitCode == 0, $"evaluation with AgentSafetyMode={mode} failed: " + evaluation);
            var ours = GlobalConfigFiles(evaluation.Output).Where(f => Path.GetFileName(f).StartsWith("agentsafety_", StringComparison.Ordinal)).ToList();
            Assert.True(
                expected is null ? ours.Count == 0 : ours.Count == 1 && Path.GetFileName(ours[0]) == expected && File.Exists(ours[0]),
                $"AgentSafetyMode={mode}: expected {expected ?? "no preset"}, got [{string.Join(", ", ours)}]");
        }
    }

    [Fact]
    public void Strict_set_in_the_project_file_fails_the_build()
    {
        // Set in the project body, after the package's props are imported: what users write.
        var consumer = ConsumerProject.Create(_package, "strict", ("AgentSafetyMode", "Strict"));

        var build = consumer.Build();
        Assert.True(build.ExitCode != 0, "Strict should fail the build: " + build);
        Assert.Contains("Agent.cs(11,9): error AGS003", build.Output);
        Assert.Contains("Agent.cs(23,9): error AGS003", build.Output);
        Assert.DoesNotContain("warning AGS003", build.Output);
    }

    [Fact]
    public void A_severity_in_the_users_editorconfig_beats_Strict()
    {
        var consumer = ConsumerProject.Create(_package, "strict-editorconfig", ("AgentSafetyMode", "Strict"));
        consumer.WriteFile(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.AGS003.severity = warning\n");

        var build = consumer.Build();
        Assert.True(build.ExitCode == 0, "the user's warning should win over Strict: " + build);
        Assert.Contains("Agent.cs(11,9): warning AGS003", build.Output);
        Assert.DoesNotContain("error AGS003", build.Output);
    }

    [Fact]
    public void Editorconfig_severities_reach_findings_in_config_files()
    {
        // The compiler applies .editorconfig severities to C# files only; the package hands the .editorconfig files to
        // the analyzer, which applies them to appsettings.json itself (roslyn#37876).
        var consumer = ConsumerProject.Create(_package, "config-severity", ("AgentSafetyMode", "Strict"));
        var openAIKey = "sk-proj-" + Rules.Synthetic.Body(156, Rules.Synthetic.Base64Url);
        consumer.WriteFile("appsettings.json", "{\n  \"OpenAI\": {\n    \"ApiKey\": \"" + openAIKey + "\"\n  }\n}\n");
        consumer.WriteFile(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.AGS003.severity = warning\n\n[appsettings.json]\ndotnet_diagnostic.AGS001.severity = warning\n");

        var warning = consumer.Build();
        Assert.True(warning.ExitCode == 0, "the [appsettings.json] section should beat Strict: " + warning);
        Assert.Contains("appsettings.json(3,16): warning AGS001", warning.Output);
        Assert.DoesNotContain("error AGS001", warning.Output);

        consumer.WriteFile(".editorconfig", "root = true\n\n[*]\ndotnet_diagnostic.AGS001.severity = none\ndotnet_diagnostic.AGS003.severity = none\n");
        var none = consumer.Build();
        Assert.True(none.ExitCode == 0, "[*] none should silence the config file too: " + none);
        Assert.DoesNotContain("AGS001", none.Output);
    }

    [Fact]
    public void None_silences_every_rule()
    {
        var consumer = ConsumerProject.Create(_package, "none");

        var build = consumer.Build("-p:AgentSafetyMode=None", "-warnaserror");
        Assert.True(build.ExitCode == 0, "None should build clean even with -warnaserror: " + build);
        Assert.DoesNotContain("AGS0", build.Output);
    }

    [Fact]
    public void A_misspelt_mode_fails_the_build_and_names_the_valid_ones()
    {
        var consumer = ConsumerProject.Create(_package, "misspelt");

        var build = consumer.Build("-p:AgentSafetyMode=Strikt");
        Assert.True(build.ExitCode != 0, "an unknown mode should fail the build: " + build);
        Assert.Contains("error AGSMODE001: AgentSafetyMode 'Strikt' is not one of Default, Recommended, Strict, None.", build.Output);

        // Reported at the project that sets the mode, where the user fixes it, not inside the package's props.
        Assert.Contains(consumer.PathOf(ConsumerProject.ProjectFile) + " : error AGSMODE001", build.Output);
        Assert.DoesNotContain("AgentSafety.Presets.props", build.Output);
    }

    private static IEnumerable<string> GlobalConfigFiles(string getItemOutput)
    {
        using var json = JsonDocument.Parse(getItemOutput[getItemOutput.IndexOf('{', StringComparison.Ordinal)..]);
        if (!json.RootElement.GetProperty("Items").TryGetProperty("GlobalAnalyzerConfigFiles", out var items))
        {
            return Array.Empty<string>();
        }

        return items.EnumerateArray().Select(i => i.GetProperty("FullPath").GetString()!).ToList();
    }
}
