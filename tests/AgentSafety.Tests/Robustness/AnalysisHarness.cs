using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Text;
using AgentSafety.Benchmarks.Cost;
using AgentSafety.CodeFixes;
using AgentSafety.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace AgentSafety.Tests.Robustness;

/// <summary>
/// Runs every AgentSafety analyzer and every code fix (both found by reflection, so rules added later are covered
/// without touching these tests) over arbitrary sources, and records what threw instead of failing at once.
/// </summary>
internal static class AnalysisHarness
{
    public const string SourceRoot = "/src/";

    private static readonly Lazy<ImmutableArray<CodeFixProvider>> AllFixProviders = new(() =>
        typeof(AgentSafetyCodeFixProvider).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
            .ToImmutableArray());

    /// <summary>Every analyzer the analyzer assembly ships (one shared set: analyzers hold no state).</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = AnalyzerCatalog.CreateAll();

    /// <summary>Every code fix provider the code-fix assembly exports.</summary>
    public static ImmutableArray<CodeFixProvider> FixProviders => AllFixProviders.Value;

    /// <summary>Only the framework: no agent library, no logging abstractions.</summary>
    public static ImmutableArray<MetadataReference> FrameworkOnly { get; } = TestReferences.Default
        .Where(r => r is PortableExecutableReference { FilePath: { } path } && path.Contains("Microsoft.NETCore.App", StringComparison.Ordinal))
        .ToImmutableArray();

    /// <summary>
    /// A project of <paramref name="sources"/> (path relative to <see cref="SourceRoot"/>, text). A program when a
    /// source has top-level statements. <paramref name="editorConfig"/> lines go under <c>[*]</c>.
    /// </summary>
    public static Project CreateProject(
        IEnumerable<(string Path, string Text)> sources,
        ImmutableArray<MetadataReference>? references = null,
        string? editorConfig = null)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId, VersionStamp.Default, "Robustness", "Robustness", LanguageNames.CSharp,
            filePath: SourceRoot + "Robustness.csproj",
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: parseOptions,
            metadataReferences: references ?? TestReferences.Default));

        var program = false;
        foreach (var (path, text) in sources)
        {
            var sourceText = SourceText.From(text, Encoding.UTF8);
            program |= CSharpSyntaxTree.ParseText(sourceText, parseOptions).GetCompilationUnitRoot().Members.Any(m => m is GlobalStatementSyntax);
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId, path), Path.GetFileName(path), sourceText, filePath: SourceRoot + path);
        }

        var config = "root = true\n\n[*]\n" + (editorConfig ?? string.Empty) + "\n";
        solution = solution.AddAnalyzerConfigDocument(
            DocumentId.CreateNewId(projectId, ".editorconfig"), ".editorconfig", SourceText.From(config, Encoding.UTF8), filePath: SourceRoot + ".editorconfig");
        var project = solution.GetProject(projectId)!;
        return program ? project.WithCompilationOptions(project.CompilationOptions!.WithOutputKind(OutputKind.ConsoleApplication)) : project;
    }

    /// <summary>Runs the analyzers; exceptions (the callback's and AD0001) are collected, not thrown.</summary>
    public static async Task<AnalysisResult> AnalyzeAsync(Project project, ImmutableArray<DiagnosticAnalyzer>? analyzers = null, bool concurrent = true)
    {
        var compilation = (await project.GetCompilationAsync().ConfigureAwait(false))!;
        return await AnalyzeAsync(compilation, project.AnalyzerOptions, analyzers, concurrent).ConfigureAwait(false);
    }

    public static async Task<AnalysisResult> AnalyzeAsync(
        Compilation compilation, AnalyzerOptions options, ImmutableArray<DiagnosticAnalyzer>? analyzers = null, bool concurrent = true)
    {
        var exceptions = new List<string>();
        var withAnalyzers = compilation.WithAnalyzers(
            analyzers ?? Analyzers,
            new CompilationWithAnalyzersOptions(
                options,
                (exception, analyzer, _) => { lock (exceptions) { exceptions.Add($"{analyzer.GetType().Name}: {exception}"); } },
                concurrentAnalysis: concurrent,
                logAnalyzerExecutionTime: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync().ConfigureAwait(false);
        exceptions.AddRange(diagnostics.Where(d => d.Id == "AD0001").Select(d => d.GetMessage(CultureInfo.InvariantCulture)));
        var found = diagnostics.Where(d => d.Id != "AD0001")
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Location.SourceSpan.Length)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ThenBy(d => d.GetMessage(CultureInfo.InvariantCulture), StringComparer.Ordinal)
            .ToImmutableArray();
        return new AnalysisResult(found, exceptions);
    }

    /// <summary>Every code action any provider offers for <paramref name="diagnostic"/>, nested actions flattened.</summary>
    public static async Task<List<CodeAction>> FixesForAsync(Project project, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        if (project.GetDocument(diagnostic.Location.SourceTree) is not { } document)
        {
            return actions;
        }

        foreach (var provider in FixProviders.Where(p => p.FixableDiagnosticIds.Contains(diagnostic.Id)))
        {
            var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
            await provider.RegisterCodeFixesAsync(context).ConfigureAwait(false);
        }

        return actions.SelectMany(a => a.NestedActions.IsDefaultOrEmpty ? new[] { a } : a.NestedActions.ToArray()).ToList();
    }

    /// <summary>
    /// FixAll in document scope (or <paramref name="scope"/>) for <paramref name="equivalenceKey"/>, over the given diagnostics (of one document for that scope),
    /// or null when the provider has no FixAll or it produces nothing.
    /// </summary>
    public static async Task<CodeAction?> FixAllAsync(Project project, CodeFixProvider provider, string equivalenceKey, ImmutableArray<Diagnostic> diagnostics, FixAllScope scope = FixAllScope.Document)
    {
        var fixAll = provider.GetFixAllProvider();
        if (fixAll is null || diagnostics.IsEmpty || project.GetDocument(diagnostics[0].Location.SourceTree) is not { } document)
        {
            return null;
        }

        var context = new FixAllContext(
            document, provider, scope, equivalenceKey, provider.FixableDiagnosticIds,
            new FixedDiagnosticProvider(diagnostics), CancellationToken.None);
        return await fixAll.GetFixAsync(context).ConfigureAwait(false);
    }

    /// <summary>The project after <paramref name="action"/>, with every changed document's text computed.</summary>
    public static async Task<Project> ApplyAsync(Project project, CodeAction action)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None).ConfigureAwait(false);
        var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetProject(project.Id)!;
        foreach (var document in changed.Documents)
        {
            await document.GetTextAsync().ConfigureAwait(false);
        }

        return changed;
    }

    public static async Task<IReadOnlyList<Diagnostic>> CompilerErrorsAsync(Project project)
    {
        var compilation = (await project.GetCompilationAsync().ConfigureAwait(false))!;
        return compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    }

    /// <summary>A diagnostic as text that survives a fresh compilation: file, span, id, message.</summary>
    public static string Describe(Diagnostic diagnostic)
        => $"{diagnostic.Location.SourceTree?.FilePath}{diagnostic.Location.SourceSpan} {diagnostic.Id}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}";

    private sealed class FixedDiagnosticProvider : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<Diagnostic> _diagnostics;

        public FixedDiagnosticProvider(ImmutableArray<Diagnostic> diagnostics) => _diagnostics = diagnostics;

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
            return _diagnostics.Where(d => d.Location.SourceTree == tree);
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);
    }
}

/// <summary>What one analysis found, and what threw.</summary>
internal sealed record AnalysisResult(ImmutableArray<Diagnostic> Diagnostics, IReadOnlyList<string> Exceptions);
