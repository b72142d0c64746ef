using System.Text.Json.Nodes;
using AgentSafety.Tests.Metadata;
using AgentSafety.Tests.Package;
using AgentSafety.Tests.Robustness;
using Microsoft.CodeAnalysis;

namespace AgentSafety.Tests.Editor;

/// <summary>
/// What a user sees in an editor, through a real C# language server (csharp-ls, see <see cref="CSharpLs"/>) on a
/// consumer project that references the packed package: our findings arrive as squiggles with their ranges, codes,
/// <c>.editorconfig</c> severities and help links, by push (<c>textDocument/publishDiagnostics</c>) and by pull
/// (<c>textDocument/diagnostic</c>). Light bulbs: csharp-ls 0.28.0 offers no analyzer package's code fixes (it loads
/// fix providers only from Roslyn's own Features assemblies, <c>Handlers/CodeAction.fs</c>
/// <c>instantiateRoslynProviders</c>, and matches them against <c>semanticModel.GetDiagnostics</c>, the compiler's
/// diagnostics); the test pins that, so raising <see cref="CSharpLs.Version"/> to a release that adds them fails
/// here and the README's editor section gets updated.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(PackedPackageCollection.Name)]
public sealed class LanguageServerEndToEndTests
{
    /// <summary>Loading the project, compiling it and running the analyzers, on a busy two-core machine.</summary>
    private static readonly TimeSpan DiagnosticsTimeout = TimeSpan.FromMinutes(4);

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(2);

    // One AGS003 finding, in a file whose severity .editorconfig raises to error.
    private const string ToolsSource = """
        namespace Consumer;

        public sealed class Tools
        {
            public string? Forecast(string region)
            {
                try
                {
                    return Fetch(region);
                }
                catch (Exception)
                {
                    return null;
                }
            }

            private static string Fetch(string region) => region;
        }
        """;

    private const string EditorConfig = """
        root = true

        [Tools.cs]
        dotnet_diagnostic.AGS003.severity = error
        """;

    private readonly PackedPackage _package;

    public LanguageServerEndToEndTests(PackedPackage package) => _package = package;

    private static Dictionary<string, JsonObject> AnalyzersEnabled => new()
    {
        [CSharpLs.SettingsSection] = new JsonObject { ["analyzersEnabled"] = true },
    };

    [SkippableFact]
    public async Task Csharp_ls_publishes_our_findings_as_squiggles_with_editorconfig_severities_and_help_links_when_analyzers_are_enabled()
    {
        var executable = CSharpLs.Install(_package.Work);
        var consumer = CreateConsumer("editor-push");

        using var server = await LanguageServerClient.StartAsync(executable, consumer.Folder, AnalyzersEnabled, pullDiagnostics: false, RequestTimeout);
        var agent = consumer.PathOf("Agent.cs");
        var opened = server.Now;
        server.Open(agent, ConsumerProject.AgentSource);
        var agentSquiggles = await server.WaitForDiagnosticsAsync(agent, opened, HasOurs, DiagnosticsTimeout);

        var helpLink = ShippedRules.Descriptor("AGS003").HelpLinkUri;
        Assert.False(string.IsNullOrEmpty(helpLink));
        // Ranges are LSP's: zero-based lines and characters. The two findings the build reports at (11,9) and (23,9).
        Assert.Equal(
            new[]
            {
                $"AGS003 10:8-10:25 warning {helpLink} 'catch (Exception)' in 'Ask' turns the failure into a normal-looking result; rethrow, log or record the exception",
                $"AGS003 22:8-22:13 warning {helpLink} 'catch' in 'Notify' is empty and hides the failure; rethrow, log or record the exception",
            },
            Ours(agentSquiggles.Diagnostics));

        var tools = consumer.PathOf("Tools.cs");
        opened = server.Now;
        server.Open(tools, ToolsSource);
        var toolsSquiggles = await server.WaitForDiagnosticsAsync(tools, opened, HasOurs, DiagnosticsTimeout);
        Assert.Equal(
            new[] { $"AGS003 10:8-10:25 error {helpLink} 'catch (Exception)' in 'Forecast' turns the failure into a normal-looking result; rethrow, log or record the exception" },
            Ours(toolsSquiggles.Diagnostics));

        // The setting is what brings them: switched off (pushed as editors do on a settings change), the next
        // diagnostics of an edited document are the compiler's alone.
        server.Notify("workspace/didChangeConfiguration", new JsonObject
        {
            ["settings"] = new JsonObject { [CSharpLs.SettingsSection] = new JsonObject { ["analyzersEnabled"] = false } },
        });
        var text = ConsumerProject.AgentSource;
        LanguageServerClient.Published? withoutAnalyzers = null;
        for (var version = 2; version <= 4 && withoutAnalyzers is null; version++)
        {
            await server.WaitForQuietAsync(agent, TimeSpan.FromSeconds(1), RequestTimeout);
            text += "\n// edited\n";
            var changed = server.Now;
            server.Change(agent, version, text);
            var next = await server.WaitForDiagnosticsAsync(agent, changed, _ => true, DiagnosticsTimeout);
            withoutAnalyzers = next.Diagnostics.Count == 0 ? next : null;
        }

        Assert.True(withoutAnalyzers is not null, "analyzersEnabled = false did not stop the analyzers\n" + server.Transcript);

        await server.ShutdownAsync(RequestTimeout);
    }

    [SkippableFact]
    public async Task Csharp_ls_answers_diagnostic_pulls_with_our_findings_but_offers_none_of_our_fixes_and_a_fix_applied_clears_the_squiggle()
    {
        var executable = CSharpLs.Install(_package.Work);
        var consumer = CreateConsumer("editor-pull");

        using var server = await LanguageServerClient.StartAsync(executable, consumer.Folder, AnalyzersEnabled, pullDiagnostics: true, RequestTimeout);
        var agent = consumer.PathOf("Agent.cs");
        server.Open(agent, ConsumerProject.AgentSource);
        var pulled = await PullUntilAsync(server, agent, HasOurs);
        var ask = pulled.Single(d => Code(d) == "AGS003" && Line(d) == 10);
        Assert.Equal(2, pulled.Count(d => Code(d) == "AGS003"));

        // What our fix provider offers on that finding, computed in process on the same source.
        var (project, ourAsk) = await OurFindingAsync(ConsumerProject.AgentSource, line: 10);
        var ourFixes = await AnalysisHarness.FixesForAsync(project, ourAsk);
        Assert.NotEmpty(ourFixes);

        // The light bulb on the finding: csharp-ls answers with its refactorings only.
        var actions = (await server.RequestAsync("textDocument/codeAction", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = LanguageServerClient.UriOf(agent) },
            ["range"] = ask!["range"]!.DeepClone(),
            ["context"] = new JsonObject { ["diagnostics"] = new JsonArray(ask.DeepClone()), ["triggerKind"] = 1 },
        }, RequestTimeout))?.AsArray() ?? new JsonArray();
        var titles = actions.Select(a => a!["title"]!.GetValue<string>()).ToList();
        Assert.True(titles.Count > 0, "csharp-ls offered no code action at all on the finding; the check below would prove nothing");
        Assert.All(ourFixes, fix => Assert.DoesNotContain(fix.Title, titles));
        Assert.DoesNotContain(actions, a => a!["diagnostics"] is JsonArray covered && covered.Any(d => Code(d) == "AGS003"));

        // The user applies our fix another way (Visual Studio, Rider, `dotnet format`): the squiggle goes, the other stays.
        var fixedProject = await AnalysisHarness.ApplyAsync(project, ourFixes[0]);
        var fixedText = (await fixedProject.Documents.Single(d => d.Name == "Agent.cs").GetTextAsync()).ToString();
        Assert.NotEqual(ConsumerProject.AgentSource, fixedText);
        server.Change(agent, version: 2, fixedText);
        var after = await PullUntilAsync(server, agent, items => !items.Any(d => Message(d).Contains("in 'Ask'", StringComparison.Ordinal)));
        Assert.Equal(
            new[] { "'catch' in 'Notify' is empty and hides the failure; rethrow, log or record the exception" },
            after.Where(d => Code(d) == "AGS003").Select(Message));
        Assert.DoesNotContain(after, d => d!["severity"]!.GetValue<int>() == 1);

        await server.ShutdownAsync(RequestTimeout);
    }

    private ConsumerProject CreateConsumer(string name)
    {
        var consumer = ConsumerProject.Create(_package, name);
        consumer.WriteFile("Tools.cs", ToolsSource);
        consumer.WriteFile(".editorconfig", EditorConfig);
        // The server loads the project through MSBuild, which needs it restored, as an editor's first build does.
        var restore = consumer.Dotnet("restore", ConsumerProject.ProjectFile, "-nologo");
        Assert.True(restore.ExitCode == 0, "restore failed: " + restore);
        return consumer;
    }

    /// <summary>Pulls the document's diagnostics until <paramref name="accept"/> holds (the server may still be loading).</summary>
    private static async Task<JsonArray> PullUntilAsync(LanguageServerClient server, string path, Func<JsonArray, bool> accept)
    {
        var deadline = server.Now + DiagnosticsTimeout;
        var last = new JsonArray();
        while (server.Now < deadline)
        {
            var report = await server.RequestAsync("textDocument/diagnostic", new JsonObject
            {
                ["textDocument"] = new JsonObject { ["uri"] = LanguageServerClient.UriOf(path) },
            }, DiagnosticsTimeout);
            Assert.Equal("full", report?["kind"]?.GetValue<string>());
            last = report!["items"]!.AsArray();
            if (accept(last))
            {
                return last;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"pulled diagnostics never matched: {last.ToJsonString()}\n{server.Transcript}");
    }

    /// <summary>
    /// Our analyzers in process, on the consumer's file plus its implicit usings; the AGS003 finding on
    /// <paramref name="line"/>. The test's references include the framework's <c>Activity</c> (the consumer's
    /// <c>net10.0</c> has it too), which our "record on the current trace" fix needs.
    /// </summary>
    private static async Task<(Project Project, Diagnostic Finding)> OurFindingAsync(string source, int line)
    {
        var project = AnalysisHarness.CreateProject(
            new[] { ("Agent.cs", source), ("GlobalUsings.cs", "global using System;\nglobal using System.Threading.Tasks;\n") });
        var compilerErrors = await AnalysisHarness.CompilerErrorsAsync(project);
        Assert.Empty(compilerErrors);
        var analysis = await AnalysisHarness.AnalyzeAsync(project);
        var finding = analysis.Diagnostics.Single(d => d.Id == "AGS003" && d.Location.GetLineSpan().StartLinePosition.Line == line);
        return (project, finding);
    }

    private static bool HasOurs(JsonArray diagnostics) => diagnostics.Any(d => Code(d).StartsWith("AGS", StringComparison.Ordinal));

    private static string Code(JsonNode? diagnostic) => diagnostic?["code"]?.ToString() ?? string.Empty;

    private static string Message(JsonNode? diagnostic) => diagnostic?["message"]?.GetValue<string>() ?? string.Empty;

    private static int Line(JsonNode? diagnostic) => diagnostic!["range"]!["start"]!["line"]!.GetValue<int>();

    /// <summary>Code, zero-based range, severity (LSP: 1 error, 2 warning, 3 information, 4 hint), help link, message.</summary>
    private static IEnumerable<string> Ours(JsonArray diagnostics) => diagnostics
        .Where(d => Code(d).StartsWith("AGS", StringComparison.Ordinal))
        .Select(d =>
        {
            var range = d!["range"]!;
            var severity = d["severity"]?.GetValue<int>() switch { 1 => "error", 2 => "warning", 3 => "information", 4 => "hint", _ => "none" };
            return $"{Code(d)} {range["start"]!["line"]}:{range["start"]!["character"]}-{range["end"]!["line"]}:{range["end"]!["character"]} {severity} "
                + $"{d["codeDescription"]?["href"]} {Message(d)}";
        })
        .OrderBy(s => s, StringComparer.Ordinal);
}
