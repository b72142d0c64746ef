namespace AgentSafety.Tests.Package;

/// <summary>
/// The product path a user takes, through the real toolchain (this SDK's compiler): pack the package, reference it
/// from a fresh project through a local feed, and check the build warns (in code and, through the package's props, in
/// <c>appsettings.json</c>), obeys <c>.editorconfig</c> severity and <c>AgentSafetyScanConfigFiles</c>, and that
/// <c>dotnet format</c> applies the fix.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(PackedPackageCollection.Name)]
public sealed class PackageEndToEndTests
{
    private readonly PackedPackage _package;

    public PackageEndToEndTests(PackedPackage package) => _package = package;

    [Fact]
    public void Packed_package_has_the_analyzer_layout()
    {
        var entries = _package.Entries;
        Assert.Contains("analyzers/dotnet/roslyn4.8/cs/AgentSafety.Analyzers.dll", entries);
        Assert.Contains("analyzers/dotnet/roslyn4.8/cs/AgentSafety.CodeFixes.dll", entries);
        Assert.Contains("buildTransitive/AgentSafety.Analyzers.props", entries);
        Assert.Contains("buildTransitive/AgentSafety.Presets.props", entries);
        Assert.All(SeverityPresets.All, preset => Assert.Contains("buildTransitive/config/" + preset.FileName, entries));
        Assert.Contains("README.md", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal));

        var ns = _package.Nuspec.Root!.Name.Namespace;
        var metadata = _package.Nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal(PackedPackage.Id, metadata.Element(ns + "id")!.Value);
        Assert.Equal("true", metadata.Element(ns + "developmentDependency")!.Value);
        Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        Assert.Null(metadata.Element(ns + "dependencies"));
    }

    [Fact]
    public void Packed_package_drives_a_consumer_build()
    {
        var consumer = ConsumerProject.Create(_package, "consumer");

        var openAIKey = "sk-proj-" + Rules.Synthetic.Body(156, Rules.Synthetic.Base64Url);
        consumer.WriteFile("appsettings.json", "{\n  \"OpenAI\": {\n    \"ApiKey\": \"" + openAIKey + "\"\n  }\n}\n");

        var warn = consumer.Build();
        Assert.True(warn.ExitCode == 0, "the consumer build should succeed with warnings: " + warn);
        Assert.Contains("warning AGS003", warn.Output);
        Assert.Contains("'catch (Exception)' in 'Ask' turns the failure into a normal-looking result", warn.Output);
        // The package's props add the config file; AGS001 reports inside it, at its line and column, redacted.
        Assert.Contains("appsettings.json(3,16): warning AGS001: OpenAI API key 'sk-p\u2026(164 chars)' is hardcoded", warn.Output);
        Assert.DoesNotContain(openAIKey.Substring(4), warn.Output);

        consumer.WriteFile(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.AGS003.severity = error\n");
        var error = consumer.Build();
        Assert.True(error.ExitCode != 0, "severity = error should fail the build: " + error);
        Assert.Contains("error AGS003", error.Output);

        consumer.WriteFile(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.AGS003.severity = none\n");
        var none = consumer.Build("-p:AgentSafetyScanConfigFiles=false");
        Assert.True(none.ExitCode == 0, "severity = none should build: " + none);
        Assert.DoesNotContain("AGS003", none.Output);
        Assert.DoesNotContain("AGS001", none.Output);

        consumer.DeleteFile(".editorconfig");
        var format = consumer.Dotnet("format", "analyzers", ConsumerProject.ProjectFile, "--diagnostics", "AGS003", "--severity", "warn", "--verbosity", "diagnostic");
        Assert.True(format.ExitCode == 0, "dotnet format failed: " + format);
        var fixedCode = consumer.ReadFile("Agent.cs");
        // dotnet format applies the first fix offered, through FixAll. With no logger in scope that is "Record on
        // the current trace" for both catches: recording comes before rethrowing.
        Assert.True(fixedCode.Split("Activity.Current?.AddException(ex);").Length - 1 == 2, "dotnet format wrote:\n" + fixedCode + "\n" + format);
        Assert.Contains("using System.Diagnostics;", fixedCode);

        var afterFix = consumer.Build();
        Assert.True(afterFix.ExitCode == 0, "the fixed consumer should build: " + afterFix);
        Assert.DoesNotContain("AGS003", afterFix.Output);
    }
}
