using System.IO.Compression;
using System.Xml.Linq;

namespace AgentSafety.Tests.Package;

/// <summary>
/// The product path a user takes, through the real toolchain (this SDK's compiler): pack the package, reference it
/// from a fresh project through a local feed, and check the build warns (in code and, through the package's props, in
/// <c>appsettings.json</c>), obeys <c>.editorconfig</c> severity and <c>AgentSafetyScanConfigFiles</c>, and that
/// <c>dotnet format</c> applies the fix.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class PackageEndToEndTests : IDisposable
{
    private const string PackageId = "AgentSafety.Analyzers";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(8);

    private readonly string _work = Path.Combine(Path.GetTempPath(), "agentsafety-e2e-" + Guid.NewGuid().ToString("N"));

    public PackageEndToEndTests() => Directory.CreateDirectory(_work);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; the test result is what matters.
        }
    }

    [Fact]
    public void Packed_package_has_the_analyzer_layout_and_drives_a_consumer_build()
    {
        var feed = Path.Combine(_work, "feed");
        var pack = DotNetCli.Run(RepositoryPaths.Root, Timeout,
            "pack", RepositoryPaths.Combine("src", "AgentSafety.Package", "AgentSafety.Package.csproj"),
            "-c", "Release", "-o", feed, "-p:ContinuousIntegrationBuild=true");
        Assert.True(pack.ExitCode == 0, "dotnet pack failed: " + pack);

        var nupkg = Directory.GetFiles(feed, PackageId + ".*.nupkg").Single();
        var version = AssertPackageLayout(nupkg);

        var consumer = CreateConsumer(feed, version);
        var openAIKey = "sk-proj-" + Rules.Synthetic.Body(156, Rules.Synthetic.Base64Url);
        File.WriteAllText(Path.Combine(consumer, "appsettings.json"), "{\n  \"OpenAI\": {\n    \"ApiKey\": \"" + openAIKey + "\"\n  }\n}\n");

        var warn = Build(consumer);
        Assert.True(warn.ExitCode == 0, "the consumer build should succeed with warnings: " + warn);
        Assert.Contains("warning AGS003", warn.Output);
        Assert.Contains("'catch (Exception)' in 'Ask' turns the failure into a normal-looking result", warn.Output);
        // The package's props add the config file; AGS001 reports inside it, at its line and column, redacted.
        Assert.Contains("appsettings.json(3,16): warning AGS001: OpenAI API key 'sk-p\u2026(164 chars)' is hardcoded", warn.Output);
        Assert.DoesNotContain(openAIKey.Substring(4), warn.Output);

        File.WriteAllText(Path.Combine(consumer, ".editorconfig"), "root = true\n\n[*.cs]\ndotnet_diagnostic.AGS003.severity = error\n");
        var error = Build(consumer);
        Assert.True(error.ExitCode != 0, "severity = error should fail the build: " + error);
        Assert.Contains("error AGS003", error.Output);

        File.WriteAllText(Path.Combine(consumer, ".editorconfig"), "root = true\n\n[*.cs]\ndotnet_diagnostic.AGS003.severity = none\n");
        var none = Build(consumer, "-p:AgentSafetyScanConfigFiles=false");
        Assert.True(none.ExitCode == 0, "severity = none should build: " + none);
        Assert.DoesNotContain("AGS003", none.Output);
        Assert.DoesNotContain("AGS001", none.Output);

        File.Delete(Path.Combine(consumer, ".editorconfig"));
        var format = DotNetCli.Run(consumer, Timeout, "format", "analyzers", "Consumer.csproj", "--diagnostics", "AGS003", "--severity", "warn", "--verbosity", "diagnostic");
        Assert.True(format.ExitCode == 0, "dotnet format failed: " + format);
        var fixedCode = File.ReadAllText(Path.Combine(consumer, "Agent.cs"));
        // dotnet format applies the first fix offered, through FixAll. With no logger in scope that is "Record on
        // the current trace" for both catches: recording comes before rethrowing.
        Assert.True(fixedCode.Split("Activity.Current?.AddException(ex);").Length - 1 == 2, "dotnet format wrote:\n" + fixedCode + "\n" + format);
        Assert.Contains("using System.Diagnostics;", fixedCode);

        var afterFix = Build(consumer);
        Assert.True(afterFix.ExitCode == 0, "the fixed consumer should build: " + afterFix);
        Assert.DoesNotContain("AGS003", afterFix.Output);
    }

    private static string AssertPackageLayout(string nupkg)
    {
        using var archive = ZipFile.OpenRead(nupkg);
        var entries = archive.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("analyzers/dotnet/roslyn4.8/cs/AgentSafety.Analyzers.dll", entries);
        Assert.Contains("analyzers/dotnet/roslyn4.8/cs/AgentSafety.CodeFixes.dll", entries);
        Assert.Contains("buildTransitive/AgentSafety.Analyzers.props", entries);
        Assert.Contains("README.md", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal));

        var nuspecEntry = archive.Entries.Single(e => e.FullName == PackageId + ".nuspec");
        using var stream = nuspecEntry.Open();
        var nuspec = XDocument.Load(stream);
        var ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal(PackageId, metadata.Element(ns + "id")!.Value);
        Assert.Equal("true", metadata.Element(ns + "developmentDependency")!.Value);
        Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        Assert.Null(metadata.Element(ns + "dependencies"));
        return metadata.Element(ns + "version")!.Value;
    }

    private string CreateConsumer(string feed, string version)
    {
        var consumer = Path.Combine(_work, "consumer");
        Directory.CreateDirectory(consumer);
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="agentsafety-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        // Isolated from the repository's build files and from the machine's package cache (the version is reused).
        File.WriteAllText(Path.Combine(consumer, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(consumer, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <RestorePackagesPath>{Path.Combine(_work, "packages")}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{PackageId}" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(consumer, "Agent.cs"), """
            namespace Consumer;

            public sealed class Agent
            {
                public string Ask(string question)
                {
                    try
                    {
                        return Model(question);
                    }
                    catch (Exception)
                    {
                        return "I'm sorry, I couldn't complete that task.";
                    }
                }

                public void Notify()
                {
                    try
                    {
                        Model("ping");
                    }
                    catch
                    {
                    }
                }

                private static string Model(string question) => question;
            }
            """);
        return consumer;
    }

    private static DotNetCli.Result Build(string consumer, params string[] extra)
        => DotNetCli.Run(consumer, Timeout, new[] { "build", "Consumer.csproj", "--no-incremental", "-nologo", "-p:UseSharedCompilation=false", "-nodeReuse:false" }.Concat(extra).ToArray());
}
