using System.Globalization;
using System.IO.Compression;
using System.Text.Json.Nodes;
using AgentSafety.Tests.Package;
using Xunit.Abstractions;

namespace AgentSafety.Tests.Editor;

/// <summary>
/// What a user of csharp-ls waits for: the time from opening a document (<c>didOpen</c>) to its diagnostics, and
/// from an edit (<c>didChange</c>) to the new ones, with the compiler only, with the analyzers the SDK enables
/// (<c>analyzersEnabled</c>) and with ours added. A measurement, not a check: it runs only when asked
/// (<c>AGENTSAFETY_EDITOR_LATENCY=&lt;server starts per configuration&gt;</c>, optionally
/// <c>AGENTSAFETY_EDITOR_LATENCY_PROJECT=&lt;restored project folder&gt;|&lt;file in it&gt;</c> for a project of
/// your own), and prints a table; README's "In an editor" section holds the figures.
/// </summary>
[Trait("Category", "Measurement")]
[Collection(PackedPackageCollection.Name)]
public sealed class SquiggleLatencyTests
{
    private const int EditsPerStart = 4;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    private readonly PackedPackage _package;
    private readonly ITestOutputHelper _output;

    public SquiggleLatencyTests(PackedPackage package, ITestOutputHelper output)
    {
        _package = package;
        _output = output;
    }

    private enum Setup
    {
        CompilerOnly,
        SdkAnalyzers,
        SdkAnalyzersAndOurs,
    }

    [SkippableFact]
    public async Task Time_from_open_and_from_edit_to_squiggles()
    {
        var starts = Environment.GetEnvironmentVariable("AGENTSAFETY_EDITOR_LATENCY");
        Skip.If(
            string.IsNullOrEmpty(starts),
            "A measurement: set AGENTSAFETY_EDITOR_LATENCY=<server starts per configuration> (and optionally AGENTSAFETY_EDITOR_LATENCY_PROJECT=<restored project folder>|<file in it>) to run it.");
        var startCount = int.Parse(starts, CultureInfo.InvariantCulture);
        var executable = CSharpLs.Install(_package.Work);
        var ours = OurAnalyzersTargets();

        // The consumer without the package: the package reference restores other files too (presets, config
        // scanning); here only the analyzers come and go.
        var consumer = ConsumerProject.Create(_package, "latency");
        var projectFile = consumer.ReadFile(ConsumerProject.ProjectFile);
        var withoutPackage = string.Join('\n', projectFile.Split('\n').Where(line => !line.Contains(PackedPackage.Id, StringComparison.Ordinal)));
        consumer.WriteFile(ConsumerProject.ProjectFile, withoutPackage);
        var restore = consumer.Dotnet("restore", ConsumerProject.ProjectFile, "-nologo");
        Assert.True(restore.ExitCode == 0, "restore failed: " + restore);

        var subjects = new List<(string Name, string Folder, string File)> { ("consumer (1 file)", consumer.Folder, consumer.PathOf("Agent.cs")) };
        if (Environment.GetEnvironmentVariable("AGENTSAFETY_EDITOR_LATENCY_PROJECT") is { Length: > 0 } project)
        {
            var parts = project.Split('|');
            subjects.Add((Path.GetFileName(parts[0].TrimEnd('/')), parts[0], Path.Combine(parts[0], parts[1])));
        }

        var table = new List<string>
        {
            "| Project | Setup | Open → diagnostics (s) | Edit → diagnostics (s), median (min–max) | AGS diagnostics | All diagnostics |",
            "|---------|-------|---------------------:|------------------------------------------:|----:|----:|",
        };
        foreach (var (name, folder, file) in subjects)
        {
            foreach (var setup in Enum.GetValues<Setup>())
            {
                var opens = new List<double>();
                var edits = new List<double>();
                var agsCount = 0;
                var allCount = 0;
                for (var start = 0; start < startCount; start++)
                {
                    var environment = setup == Setup.SdkAnalyzersAndOurs
                        ? new Dictionary<string, string> { ["CustomAfterMicrosoftCommonTargets"] = ours }
                        : null;
                    var settings = new Dictionary<string, JsonObject>
                    {
                        [CSharpLs.SettingsSection] = new JsonObject { ["analyzersEnabled"] = setup != Setup.CompilerOnly },
                    };
                    using var server = await LanguageServerClient.StartAsync(executable, folder, settings, pullDiagnostics: false, Timeout, environment);
                    var text = await File.ReadAllTextAsync(file);
                    var opened = server.Now;
                    server.Open(file, text);
                    var first = await server.WaitForDiagnosticsAsync(file, opened, _ => true, Timeout);
                    opens.Add((first.At - opened).TotalSeconds);
                    agsCount = first.Diagnostics.Count(d => d?["code"]?.ToString().StartsWith("AGS", StringComparison.Ordinal) == true);
                    allCount = first.Diagnostics.Count;
                    if (setup == Setup.SdkAnalyzersAndOurs && file == consumer.PathOf("Agent.cs"))
                    {
                        Assert.True(agsCount == 2, "our analyzers did not run: " + first.Diagnostics.ToJsonString());
                    }

                    for (var edit = 1; edit <= EditsPerStart; edit++)
                    {
                        await server.WaitForQuietAsync(file, TimeSpan.FromSeconds(3), Timeout);
                        text += $"\n// edit {edit}\n";
                        var changed = server.Now;
                        server.Change(file, edit + 1, text);
                        var after = await server.WaitForDiagnosticsAsync(file, changed, _ => true, Timeout);
                        edits.Add((after.At - changed).TotalSeconds);
                    }

                    await server.ShutdownAsync(TimeSpan.FromSeconds(30));
                }

                edits.Sort();
                var line = string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {setup} | {string.Join(", ", opens.Select(o => o.ToString("F1", CultureInfo.InvariantCulture)))} | {edits[edits.Count / 2]:F2} ({edits[0]:F2}–{edits[^1]:F2}) | {agsCount} | {allCount} |");
                table.Add(line);
                _output.WriteLine(line);
            }
        }

        _output.WriteLine(string.Join('\n', table));
    }

    /// <summary>
    /// An MSBuild file adding the packed package's two analyzer assemblies to any project, imported through
    /// <c>CustomAfterMicrosoftCommonTargets</c> so the measured project's files stay untouched.
    /// </summary>
    private string OurAnalyzersTargets()
    {
        var folder = Path.Combine(_package.Work, "analyzers");
        Directory.CreateDirectory(folder);
        using (var archive = ZipFile.OpenRead(Directory.GetFiles(_package.Feed, PackedPackage.Id + ".*.nupkg").Single()))
        {
            foreach (var entry in archive.Entries.Where(e => e.FullName.StartsWith("analyzers/dotnet/roslyn4.8/cs/", StringComparison.Ordinal) && e.Name.EndsWith(".dll", StringComparison.Ordinal)))
            {
                entry.ExtractToFile(Path.Combine(folder, entry.Name), overwrite: true);
            }
        }

        var targets = Path.Combine(_package.Work, "agentsafety-analyzers.targets");
        var items = string.Concat(Directory.GetFiles(folder, "*.dll").Order(StringComparer.Ordinal).Select(dll => $"\n    <Analyzer Include=\"{dll}\" />"));
        File.WriteAllText(targets, $"<Project>\n  <ItemGroup>{items}\n  </ItemGroup>\n</Project>\n");
        return targets;
    }
}
