using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AgentSafety.Tests.Package;

/// <summary>
/// The fixes as a new user applies them (issue 18's "Done when"): a consumer of the packed package with MCP tools,
/// Microsoft.Extensions.AI over OpenAI, HttpClient calls in tools and an <c>.editorconfig</c>; each rule's fixes are
/// applied by <c>dotnet format analyzers --diagnostics AGSnnn --severity warn</c> in a copy of its own, and every
/// rule's at once in another; AGS002's once more in a copy that references Microsoft.Extensions.Http.Resilience (its
/// first fix is then the handler registration, in Program.cs). Each fixed copy must build with no finding of the fixed rules left but the AGS004 stubs
/// the fix means to leave (a compensation to write), with no compiler warning, and be laid out as the project's
/// <c>.editorconfig</c> says (<c>dotnet format whitespace --verify-no-changes</c>, and no line pushed to column 0).
/// The copies share one restore and one build (a solution of them), so the whole run stays near two minutes.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(PackedPackageCollection.Name)]
public sealed class FixesEndToEndTests
{
    private static readonly string[] AllRules = { "AGS001", "AGS002", "AGS003", "AGS004", "AGS005", "AGS006", "AGS007", "AGS009" };

    /// <summary>What a consumer references besides our package, at the versions this repository builds with.</summary>
    private static readonly string[] Packages =
    {
        "ModelContextProtocol", "Microsoft.Extensions.AI", "Microsoft.Extensions.AI.OpenAI", "OpenAI", "Microsoft.Extensions.Hosting",
        "Microsoft.Extensions.Http", "Polly.Core",
    };

    /// <summary>The SDK's implicit usings for a console project: a fix must not add them again.</summary>
    private static readonly string[] ImplicitNamespaces =
    {
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks",
    };

    private const string EditorConfig = """
        root = true

        [*]
        charset = utf-8
        end_of_line = lf
        insert_final_newline = true
        trim_trailing_whitespace = true

        [*.cs]
        indent_style = space
        indent_size = 4
        csharp_new_line_before_open_brace = all
        csharp_new_line_before_else = true
        csharp_new_line_before_catch = true
        csharp_new_line_before_finally = true
        csharp_indent_case_contents = true
        csharp_indent_switch_labels = true
        csharp_space_after_keywords_in_control_flow_statements = true
        csharp_preserve_single_line_statements = false
        csharp_preserve_single_line_blocks = true
        dotnet_sort_system_directives_first = true

        """;

    private static readonly string OpenAIKey = "sk-proj-" + Rules.Synthetic.Body(156, Rules.Synthetic.Base64Url);

    private static Dictionary<string, string> Sources() => new()
    {
        ["Program.cs"] = """
            using Microsoft.Extensions.AI;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;
            using OpenAI;

            namespace Consumer;

            public static class Program
            {
                private const string OpenAIKey = "KEY";

                public static async Task Main(string[] args)
                {
                    var builder = Host.CreateApplicationBuilder(args);
                    builder.Services.AddChatClient(new OpenAIClient(OpenAIKey).GetChatClient("gpt-4o-mini").AsIChatClient());
                    builder.Services.AddHttpClient<ReportTools>(client => client.BaseAddress = new Uri("https://reports.example/"));
                    builder.Services.AddSingleton<Summarizer>();
                    builder.Services
                        .AddMcpServer()
                        .WithStdioServerTransport()
                        .WithTools<ReportTools>()
                        .WithTools([NoteTools.WriteNote()]);
                    await builder.Build().RunAsync();
                }
            }

            """.Replace("\"KEY\"", "\"" + OpenAIKey + "\"", StringComparison.Ordinal),
        ["Telemetry.cs"] = """
            using System.Diagnostics;

            namespace Consumer;

            /// <summary>The one source the host's tracing listens to.</summary>
            public static class Telemetry
            {
                public static readonly ActivitySource Source = new("Consumer");
            }

            """,
        ["ReportTools.cs"] = """
            using System.ComponentModel;
            using System.Net.Http.Json;
            using ModelContextProtocol.Server;

            namespace Consumer;

            public sealed record Report(string Id, string Title, string Body);

            [McpServerToolType]
            public sealed class ReportTools(HttpClient http)
            {
                [McpServerTool(Name = "get_report", ReadOnly = true), Description("Reads a report.")]
                public async Task<Report> GetReport(string id, CancellationToken cancellationToken)
                {
                    return await http.GetFromJsonAsync<Report>($"reports/{Uri.EscapeDataString(id)}", cancellationToken)
                        ?? throw new InvalidOperationException($"Report {id} was not found.");
                }

                [McpServerTool(Name = "save_report"), Description("Saves a report and returns its id.")]
                public async Task<string> SaveReport(string title, string body, CancellationToken cancellationToken)
                {
                    using var response = await http.PostAsJsonAsync("reports", new { title, body }, cancellationToken);
                    response.EnsureSuccessStatusCode();
                    return await response.Content.ReadAsStringAsync(cancellationToken);
                }

                [McpServerTool(Name = "delete_report", Destructive = true), Description("Deletes a report.")]
                public async Task<string> DeleteReport(string id, CancellationToken cancellationToken)
                {
                    using var response = await http.DeleteAsync($"reports/{Uri.EscapeDataString(id)}", cancellationToken);
                    return response.IsSuccessStatusCode ? "Deleted." : "Not deleted.";
                }
            }

            """,
        ["NoteTools.cs"] = """
            using ModelContextProtocol.Server;

            namespace Consumer;

            public static class NoteTools
            {
                public static McpServerTool WriteNote() => McpServerTool.Create(
                    (string name, string text) =>
                    {
                        var path = Path.Combine("notes", name + ".md");
                        File.WriteAllText(path, text);
                        return path;
                    },
                    new McpServerToolCreateOptions { Name = "write_note" });
            }

            """,
        ["Summarizer.cs"] = """
            using Microsoft.Extensions.AI;

            namespace Consumer;

            public sealed class Summarizer(IChatClient chat)
            {
                public async Task<string> SummarizeAsync(string text, CancellationToken cancellationToken)
                {
                    try
                    {
                        var response = await chat.GetResponseAsync($"Summarize: {text}", cancellationToken: cancellationToken);
                        return response.Text;
                    }
                    catch (Exception)
                    {
                        return "No summary available.";
                    }
                }

                public async Task<string> RefineAsync(string draft, CancellationToken cancellationToken)
                {
                    while (!draft.Contains("DONE", StringComparison.Ordinal))
                    {
                        var response = await chat.GetResponseAsync($"Improve this draft and write DONE when it is good: {draft}", cancellationToken: cancellationToken);
                        draft = response.Text;
                    }

                    return draft;
                }
            }

            """,
    };

    private readonly PackedPackage _package;

    public FixesEndToEndTests(PackedPackage package) => _package = package;

    [Fact]
    public void Fixes_applied_by_dotnet_format_one_rule_at_a_time_and_all_at_once_build_clean_and_formatted()
    {
        var root = Path.Combine(_package.Work, "fixes");
        // AGS002-handler: the same consumer referencing Microsoft.Extensions.Http.Resilience, where AGS002's first fix
        // registers the standard resilience handler on the typed client in Program.cs instead of wrapping the calls.
        var scenarios = AllRules.Select(rule => new Scenario(rule, new[] { rule })).Append(new Scenario("all", AllRules))
            .Append(new Scenario("AGS002-handler", new[] { "AGS002" }, new[] { "Microsoft.Extensions.Http.Resilience" })).ToList();
        var original = Create(root, "original");
        foreach (var scenario in scenarios)
        {
            Create(root, scenario.Name, scenario.ExtraPackages);
        }

        File.WriteAllText(Path.Combine(root, "Fixes.slnx"),
            "<Solution>\n" + string.Concat(scenarios.Select(s => $"  <Project Path=\"{s.Name}/{s.Name}.csproj\" />\n")) + "  <Project Path=\"original/original.csproj\" />\n</Solution>\n");
        var restore = DotNetCli.Run(root, PackedPackage.Timeout, "restore", "Fixes.slnx", "-nologo");
        Assert.True(restore.ExitCode == 0, "restore failed: " + restore);

        var failures = new List<string>();
        foreach (var scenario in scenarios)
        {
            var format = DotNetCli.Run(Path.Combine(root, scenario.Name), PackedPackage.Timeout,
                new[] { "format", "analyzers", scenario.Name + ".csproj", "--no-restore", "--severity", "warn", "--diagnostics" }.Concat(scenario.Rules).ToArray());
            if (format.ExitCode != 0)
            {
                failures.Add($"{scenario.Name}: dotnet format failed: {format}");
            }
        }

        var build = DotNetCli.Run(root, PackedPackage.Timeout, "build", "Fixes.slnx", "--no-restore", "--no-incremental", "-nologo",
            "-p:UseSharedCompilation=false", "-nodeReuse:false", "-consoleLoggerParameters:NoSummary");
        Assert.True(build.ExitCode == 0, "the fixed projects should build: " + build);
        var warnings = Regex.Matches(build.Output, @"^(?<file>\S+?)\((?<line>\d+),\d+\): warning (?<id>\w+): (?<message>.*?)(?: \(https:[^)]*\))? \[", RegexOptions.Multiline)
            .Select(m => (Scenario: Path.GetFileName(Path.GetDirectoryName(m.Groups["file"].Value))!, File: Path.GetFileName(m.Groups["file"].Value),
                Id: m.Groups["id"].Value, Message: m.Groups["message"].Value))
            .Distinct()
            .ToList();

        // The consumer is a fair one: every rule finds something in it, and the compiler nothing.
        var before = warnings.Where(w => w.Scenario == "original").ToList();
        Assert.All(AllRules, rule => Assert.Contains(before, w => w.Id == rule));
        Assert.DoesNotContain(before, w => !w.Id.StartsWith("AGS", StringComparison.Ordinal));

        var whitespace = DotNetCli.Run(root, PackedPackage.Timeout, "format", "whitespace", "Fixes.slnx", "--verify-no-changes", "--no-restore");
        foreach (var scenario in scenarios)
        {
            var folder = Path.Combine(root, scenario.Name);
            var changed = Sources().Keys.Where(f => File.ReadAllText(Path.Combine(folder, f)) != File.ReadAllText(Path.Combine(original, f))).ToList();
            if (changed.Count == 0)
            {
                failures.Add($"{scenario.Name}: dotnet format changed nothing");
            }

            foreach (var warning in warnings.Where(w => w.Scenario == scenario.Name))
            {
                var stub = warning.Id == "AGS004" && warning.Message.EndsWith("is not implemented", StringComparison.Ordinal);
                if (!warning.Id.StartsWith("AGS", StringComparison.Ordinal) || (scenario.Rules.Contains(warning.Id) && !stub))
                {
                    failures.Add($"{scenario.Name}: {warning.File}: warning {warning.Id}: {warning.Message}");
                }
            }

            foreach (var line in whitespace.Output.Split('\n').Where(l => l.Contains(Path.DirectorySeparatorChar + scenario.Name + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            {
                failures.Add($"{scenario.Name}: not formatted as .editorconfig says: {line.Trim()}");
            }

            foreach (var file in changed)
            {
                var text = File.ReadAllText(Path.Combine(folder, file));
                failures.AddRange(LayoutDefects(text).Select(d => $"{scenario.Name}: {file}: {d}\n{text}"));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        if (whitespace.ExitCode != 0)
        {
            Assert.Fail("dotnet format whitespace --verify-no-changes failed: " + whitespace);
        }

        // What the fixes promise where they meet this project (their behaviour is run in Fixes/).
        var all = Path.Combine(root, "all");
        var reportTools = File.ReadAllText(Path.Combine(all, "ReportTools.cs"));
        var noteTools = File.ReadAllText(Path.Combine(all, "NoteTools.cs"));
        // AGS005: spans go to the project's shared source, are named after the registered tool, and tag no free text.
        Assert.DoesNotContain("new ActivitySource", reportTools + noteTools, StringComparison.Ordinal);
        Assert.Contains("Telemetry.Source.StartActivity(\"save_report\")", reportTools, StringComparison.Ordinal);
        Assert.Contains("Telemetry.Source.StartActivity(\"write_note\")", noteTools, StringComparison.Ordinal);
        Assert.DoesNotContain("\"body\"", reportTools, StringComparison.Ordinal);
        Assert.DoesNotContain("\"text\"", noteTools, StringComparison.Ordinal);
        // AGS001: the key is gone, read at first use (a property), not in the static class's initializer.
        var program = File.ReadAllText(Path.Combine(all, "Program.cs"));
        Assert.DoesNotContain(OpenAIKey, program, StringComparison.Ordinal);
        Assert.Contains("OpenAIKey => Environment.GetEnvironmentVariable(\"OPENAI_API_KEY\")", program, StringComparison.Ordinal);
        // AGS002 with Microsoft.Extensions.Http.Resilience: one handler on the typed client's registration, no pipeline.
        var handler = Path.Combine(root, "AGS002-handler");
        Assert.Contains(".AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());", File.ReadAllText(Path.Combine(handler, "Program.cs")), StringComparison.Ordinal);
        Assert.DoesNotContain("ResiliencePipeline", File.ReadAllText(Path.Combine(handler, "ReportTools.cs")), StringComparison.Ordinal);
    }

    private sealed record Scenario(string Name, string[] Rules, string[]? ExtraPackages = null);

    /// <summary>
    /// What <c>dotnet format whitespace</c> lets through but a reviewer would not: a line at column 0 that is no
    /// top-level declaration (a wrapped argument pushed out of its expression), a <c>using</c> the SDK already
    /// imports, and a member glued to the field above it.
    /// </summary>
    private static IEnumerable<string> LayoutDefects(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length > 0 && !char.IsWhiteSpace(line[0])
                && !Regex.IsMatch(line, @"^(using |namespace |public |internal |file |\[|\{|\}|//|#)"))
            {
                yield return $"line {i + 1} is pushed to column 0: '{line}'";
            }

            if (Regex.Match(line, @"^using (?<ns>[\w.]+);") is { Success: true } import && ImplicitNamespaces.Contains(import.Groups["ns"].Value))
            {
                yield return $"line {i + 1} imports a namespace the SDK already imports: '{line}'";
            }

            if (i > 0 && line.StartsWith("    [", StringComparison.Ordinal) && !line.StartsWith("     ", StringComparison.Ordinal)
                && lines[i - 1].TrimEnd().EndsWith(';') && lines[i - 1].StartsWith("    ", StringComparison.Ordinal))
            {
                yield return $"line {i + 1} has no blank line after the field above it";
            }
        }
    }

    private string Create(string root, string name, string[]? extraPackages = null)
    {
        var folder = Path.Combine(root, name);
        Directory.CreateDirectory(folder);
        var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        // Our package from the test's feed; the others from the packages this repository restored (no download).
        Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="agentsafety-local" value="{_package.Feed}" />
                <add key="restored" value="{machinePackages}" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="agentsafety-local">
                  <package pattern="{PackedPackage.Id}" />
                </packageSource>
                <packageSource key="restored">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        if (!File.Exists(Path.Combine(root, "Directory.Build.props")))
        {
            File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(root, "Directory.Packages.props"), "<Project />");
            File.WriteAllText(Path.Combine(root, "nuget.config"), File.ReadAllText(Path.Combine(folder, "nuget.config")));
        }

        var versions = XDocument.Load(RepositoryPaths.Combine("Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(e => e.Attribute("Include")!.Value, e => e.Attribute("Version")!.Value);
        var references = string.Concat(Packages.Concat(extraPackages ?? Array.Empty<string>()).Select(p => $"\n    <PackageReference Include=\"{p}\" Version=\"{versions[p]}\" />"));
        Write(name + ".csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <RootNamespace>Consumer</RootNamespace>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <RestorePackagesPath>{Path.Combine(_package.Work, "packages")}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{PackedPackage.Id}" Version="{_package.Version}" />{references}
              </ItemGroup>
            </Project>
            """);
        Write(".editorconfig", EditorConfig);
        foreach (var source in Sources())
        {
            Write(source.Key, source.Value);
        }

        return folder;

        void Write(string file, string text) => File.WriteAllText(Path.Combine(folder, file), text);
    }
}
