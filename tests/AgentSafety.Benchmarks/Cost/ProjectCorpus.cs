using System.Collections.Immutable;
using AgentSafety.Benchmarks.Corpus;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.MSBuild;

namespace AgentSafety.Benchmarks.Cost;

/// <summary>
/// One C# project as a build compiles it, loaded with MSBuildWorkspace after <c>dotnet restore</c>: its sources (those
/// its source generators add included), its real references (other projects as their compilations), its parse and
/// compilation options. What the benchmark measures on real code instead of a folder compiled against our references.
/// </summary>
internal sealed record ProjectCorpus(
    string Name,
    IReadOnlyList<CorpusFile> Files,
    ImmutableArray<MetadataReference> References,
    CSharpParseOptions ParseOptions,
    CSharpCompilationOptions CompilationOptions,
    int LoadErrors)
{
    /// <summary>
    /// The C# projects of <paramref name="path"/> (a project, or a .sln/.slnx: every project in it), one target
    /// framework each (the first a multi-targeting project loads as).
    /// </summary>
    public static async Task<IReadOnlyList<ProjectCorpus>> LoadAsync(string path, TextWriter progress)
    {
        var full = Path.GetFullPath(path);
        using var workspace = MSBuildWorkspace.Create(new Dictionary<string, string>
        {
            // Measure the code, not the build's own rules: analyzers of the project are not loaded by this harness anyway.
            ["TreatWarningsAsErrors"] = "false",
        });
        var failures = 0;
        workspace.WorkspaceFailed += (_, e) =>
        {
            if (e.Diagnostic.Kind == WorkspaceDiagnosticKind.Failure)
            {
                failures++;
                progress.WriteLine($"  workspace: {e.Diagnostic.Message}");
            }
        };

        progress.WriteLine($"Loading {full} with MSBuildWorkspace (run 'dotnet restore' on it first)...");
        var extension = Path.GetExtension(full);
        IEnumerable<Project> projects;
        if (extension.Equals(".sln", StringComparison.OrdinalIgnoreCase) || extension.Equals(".slnx", StringComparison.OrdinalIgnoreCase))
        {
            projects = (await workspace.OpenSolutionAsync(full).ConfigureAwait(false)).Projects;
        }
        else
        {
            var opened = await workspace.OpenProjectAsync(full).ConfigureAwait(false);
            projects = new[] { opened };
        }

        var result = new List<ProjectCorpus>();
        foreach (var project in projects
                     .Where(p => p.Language == LanguageNames.CSharp)
                     .GroupBy(p => p.FilePath, StringComparer.Ordinal)
                     .Select(g => g.First())
                     .OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var compilation = (CSharpCompilation?)await project.GetCompilationAsync().ConfigureAwait(false);
            if (compilation is null)
            {
                continue;
            }

            var files = new List<CorpusFile>();
            foreach (var document in project.Documents)
            {
                files.Add(new CorpusFile(document.FilePath ?? document.Name, (await document.GetTextAsync().ConfigureAwait(false)).ToString()));
            }

            foreach (var generated in await project.GetSourceGeneratedDocumentsAsync().ConfigureAwait(false))
            {
                files.Add(new CorpusFile(generated.FilePath ?? generated.Name, (await generated.GetTextAsync().ConfigureAwait(false)).ToString()));
            }

            result.Add(new ProjectCorpus(
                project.Name,
                files,
                compilation.References.ToImmutableArray(),
                (CSharpParseOptions)project.ParseOptions!,
                compilation.Options,
                failures));
        }

        return result;
    }
}
