// Runs AgentSafety's analyzers on projects that do not build here, fairly: each project folder's .cs files (plus
// shared context files, such as a repository's sample utilities) are compiled against the served packages'
// references; the analyzers run even when the compiler reports errors (a build would skip them), and each finding
// says whether the file holding it compiled without error. A finding in a file with errors may come from a call
// chain that did not bind (a package not served), so it is listed apart and not judged as the others.
//
// Usage: LooseCompile --root DIR --references FILE --out DIR [--context DIR]... [--context-if TEXT] [--using NS | --using Alias=NS]... PROJECT...
//   --root        the repository root (file names in the output are relative to it)
//   --references  a file with one reference assembly path per line (the served packages and the framework)
//   --out         where findings.tsv (rule, file, line, clean|unclean, errors in the file, message) and projects.tsv are
//                 written; "clean": the file holding the finding has no compile error. files.tsv: each project file's
//                 lines and compile errors (the lines of the files without errors are the measured lines)
//   --context     a folder whose .cs files every project compiles with (no finding is taken from them)
//   --context-if  only projects whose project file contains TEXT compile with the context folders (Semantic Kernel's
//                 samples import theirs with SamplesInternalUtilities.props; its demos do not, and the utilities'
//                 registrations would otherwise count as the demos' own)
//   --using       a global using every project gets (beside the SDK's implicit usings and the project's <Using> items)
//   PROJECT       a .csproj: its folder's .cs files (bin and obj excluded) are one compilation
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using AgentSafety.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

string? root = null, referencesFile = null, outDir = null;
var contextDirs = new List<string>();
string? contextIf = null;
var usings = new List<string>();
var projects = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--root": root = args[++i]; break;
        case "--references": referencesFile = args[++i]; break;
        case "--out": outDir = args[++i]; break;
        case "--context": contextDirs.Add(args[++i]); break;
        case "--context-if": contextIf = args[++i]; break;
        case "--using": usings.Add(args[++i]); break;
        default: projects.Add(args[i]); break;
    }
}

if (root is null || referencesFile is null || outDir is null || projects.Count == 0)
{
    Console.Error.WriteLine("Usage: LooseCompile --root DIR --references FILE --out DIR [--context DIR]... [--using NS]... PROJECT...");
    return 2;
}

root = Path.GetFullPath(root);
Directory.CreateDirectory(outDir);
var references = File.ReadAllLines(referencesFile).Where(l => l.Length > 0 && File.Exists(l)).Distinct()
    .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
var parseOptions = new CSharpParseOptions(LanguageVersion.Preview);
var contextTrees = contextDirs.SelectMany(SourceFiles).Select(f => Parse(f)).ToList();
var analyzers = typeof(RuleIds).Assembly.GetTypes()
    .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), false).Length > 0)
    .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
    .ToImmutableArray();

string[] consoleUsings = ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];
string[] webUsings = ["System.Net.Http.Json", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http",
    "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting",
    "Microsoft.Extensions.Logging"];
var usingItem = new Regex("<Using\\s+Include=\"([^\"]+)\"(?:\\s+Alias=\"([^\"]+)\")?", RegexOptions.Compiled);

using var findings = new StreamWriter(Path.Combine(outDir, "findings.tsv"));
using var summary = new StreamWriter(Path.Combine(outDir, "projects.tsv"));
using var fileTable = new StreamWriter(Path.Combine(outDir, "files.tsv"));
fileTable.WriteLine("file\tlines\terrors");
summary.WriteLine("project\tfiles\tlines\terrors\tfindings\tclean_findings");
foreach (var project in projects)
{
    var folder = Path.GetDirectoryName(Path.GetFullPath(project))!;
    var projectText = File.ReadAllText(project);
    var projectUsings = consoleUsings.AsEnumerable();
    if (projectText.Contains("Microsoft.NET.Sdk.Web", StringComparison.Ordinal))
    {
        projectUsings = projectUsings.Concat(webUsings);
    }

    projectUsings = projectUsings.Concat(usings)
        .Concat(usingItem.Matches(projectText).Select(m => m.Groups[2].Success ? m.Groups[2].Value + "=" + m.Groups[1].Value : m.Groups[1].Value));
    var globalUsings = string.Join("\n", projectUsings.Distinct().Select(u => u.Contains('=') ? $"global using {u};" : $"global using global::{u};"));
    var ownTrees = SourceFiles(folder).Select(f => Parse(f)).ToList();
    var withContext = contextIf is null || projectText.Contains(contextIf, StringComparison.Ordinal);
    var trees = ownTrees.Concat(withContext ? contextTrees : []).Append(CSharpSyntaxTree.ParseText(globalUsings, parseOptions, "GlobalUsings.g.cs")).ToList();
    var hasEntryPoint = ownTrees.Any(t => t.GetRoot().DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax)
        .Any(n => n is GlobalStatementSyntax || (n is MethodDeclarationSyntax { Identifier.ValueText: "Main" } m && m.Modifiers.Any(SyntaxKind.StaticKeyword))));
    var compilation = CSharpCompilation.Create(
        Path.GetFileNameWithoutExtension(project), trees, references,
        new CSharpCompilationOptions(hasEntryPoint ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
    var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    var errorSpans = errors.Where(d => d.Location.IsInSource).GroupBy(d => d.Location.SourceTree!)
        .ToDictionary(g => g.Key, g => g.Select(d => d.Location.SourceSpan).ToList());
    var diagnostics = await compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();
    var own = diagnostics.Where(d => d.Id.StartsWith("AGS", StringComparison.Ordinal) && d.Location.IsInSource && ownTrees.Contains(d.Location.SourceTree!))
        .OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start).ToList();
    var clean = 0;
    foreach (var diagnostic in own)
    {
        var tree = diagnostic.Location.SourceTree!;
        var fileErrors = errorSpans.TryGetValue(tree, out var spans) ? spans.Count : 0;
        var isClean = fileErrors == 0;
        clean += isClean ? 1 : 0;
        var line = diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1;
        findings.WriteLine($"{diagnostic.Id}\t{Path.GetRelativePath(root, tree.FilePath)}\t{line}\t{(isClean ? "clean" : "unclean")}\t{fileErrors}\t{diagnostic.GetMessage()}");
    }

    foreach (var tree in ownTrees)
    {
        fileTable.WriteLine($"{Path.GetRelativePath(root, tree.FilePath)}\t{tree.GetText().Lines.Count}\t{(errorSpans.TryGetValue(tree, out var fileSpans) ? fileSpans.Count : 0)}");
    }

    var lines = ownTrees.Sum(t => t.GetText().Lines.Count);
    summary.WriteLine($"{Path.GetRelativePath(root, project)}\t{ownTrees.Count}\t{lines}\t{errors.Count}\t{own.Count}\t{clean}");
    Console.WriteLine($"{Path.GetRelativePath(root, project)}: {ownTrees.Count} files, {lines} lines, {errors.Count} errors, {own.Count} findings ({clean} in files without errors)");
}

return 0;

SyntaxTree Parse(string path) => CSharpSyntaxTree.ParseText(File.ReadAllText(path), parseOptions, path);

static IEnumerable<string> SourceFiles(string folder)
    => Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal);
