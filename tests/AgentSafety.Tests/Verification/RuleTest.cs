using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit.Sdk;

namespace AgentSafety.Tests.Verification;

/// <summary>
/// The in-house verifier (Microsoft.CodeAnalysis.Testing is not restorable here; this keeps its habits so a swap
/// stays mechanical). It compiles the marked-up sources against the test host's assemblies, fails when they do
/// not compile or an analyzer throws, compares every diagnostic (id, file, span, and message and severity when
/// given), and checks each fix one diagnostic at a time and through FixAll in document, project and solution
/// scope, where the results must agree and compile.
/// </summary>
internal sealed class RuleTest
{
    private const string SourceRoot = "/src/";
    private const int MaxFixIterations = 50;

    private readonly ImmutableArray<DiagnosticAnalyzer> _analyzers;
    private readonly CodeFixProvider? _fixProvider;
    private readonly List<(string Name, string Markup)> _sources = new();
    private readonly List<(string Name, string Markup)> _additionalFiles = new();
    private readonly List<string> _options = new();
    private readonly StringBuilder _editorConfig = new();
    private readonly List<ExpectedDiagnostic> _expected = new();
    private readonly List<(string Key, string[] FixedSources)> _fixes = new();
    private readonly List<string> _fixesNotOffered = new();
    private readonly List<string> _withoutReferences = new();
    private OutputKind _outputKind = OutputKind.DynamicallyLinkedLibrary;

    private RuleTest(ImmutableArray<DiagnosticAnalyzer> analyzers, CodeFixProvider? fixProvider)
    {
        _analyzers = analyzers;
        _fixProvider = fixProvider;
    }

    public static RuleTest For<TAnalyzer>()
        where TAnalyzer : DiagnosticAnalyzer, new()
        => new(ImmutableArray.Create<DiagnosticAnalyzer>(new TAnalyzer()), null);

    public static RuleTest For<TAnalyzer, TFix>()
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
        => new(ImmutableArray.Create<DiagnosticAnalyzer>(new TAnalyzer()), new TFix());

    /// <summary>Adds a C# source (markup) named <c>Test{n}.cs</c> unless a name is given.</summary>
    public RuleTest WithSource(string markup, string? fileName = null)
    {
        _sources.Add((fileName ?? $"Test{_sources.Count}.cs", markup));
        return this;
    }

    /// <summary>Adds an additional file (markup allowed) under the project folder.</summary>
    public RuleTest WithAdditionalFile(string fileName, string markup)
    {
        _additionalFiles.Add((fileName, markup));
        return this;
    }

    /// <summary>Sets <paramref name="key"/> = <paramref name="value"/> for every file of the project in its <c>.editorconfig</c>.</summary>
    public RuleTest WithOption(string key, string value)
    {
        _options.Add($"{key} = {value}");
        return this;
    }

    /// <summary>Appends raw text (sections included) to the project's <c>.editorconfig</c>.</summary>
    public RuleTest WithEditorConfig(string text)
    {
        _editorConfig.AppendLine(text);
        return this;
    }

    /// <summary>Compiles without the referenced assembly <paramref name="assemblyName"/> and those nested under it (<c>Polly</c>: Polly and Polly.Core).</summary>
    public RuleTest WithoutReference(string assemblyName)
    {
        _withoutReferences.Add(assemblyName);
        return this;
    }

    public RuleTest WithOutputKind(OutputKind outputKind)
    {
        _outputKind = outputKind;
        return this;
    }

    public RuleTest Expect(params ExpectedDiagnostic[] diagnostics)
    {
        _expected.AddRange(diagnostics);
        return this;
    }

    /// <summary>The fix with <paramref name="equivalenceKey"/> turns the sources into <paramref name="fixedSources"/> (markup: the diagnostics left).</summary>
    public RuleTest WithFix(string equivalenceKey, params string[] fixedSources)
    {
        _fixes.Add((equivalenceKey, fixedSources));
        return this;
    }

    /// <summary>No diagnostic offers the fix with <paramref name="equivalenceKey"/>.</summary>
    public RuleTest WithoutFix(string equivalenceKey)
    {
        _fixesNotOffered.Add(equivalenceKey);
        return this;
    }

    public async Task RunAsync()
    {
        if (_sources.Count == 0)
        {
            throw new InvalidOperationException("A rule test needs at least one source.");
        }

        var markups = _sources.Select(s => (s.Name, Markup: Markup.Parse(s.Markup))).ToList();
        var additional = _additionalFiles.Select(s => (s.Name, Markup: Markup.Parse(s.Markup))).ToList();
        var project = CreateProject(markups.Select(m => (m.Name, m.Markup.Text)), additional.Select(a => (a.Name, a.Markup.Text)));

        await AssertCompilesAsync(project, "test source").ConfigureAwait(false);
        var expected = ExpectationsFrom(markups.Concat(additional).ToList(), _expected);
        var actual = await AnalyzeAsync(project).ConfigureAwait(false);
        await AssertDiagnosticsAsync(project, expected, actual, "test source").ConfigureAwait(false);

        foreach (var key in _fixesNotOffered)
        {
            foreach (var diagnostic in actual)
            {
                var offered = await ActionsForAsync(project, diagnostic).ConfigureAwait(false);
                if (offered.Any(a => a.EquivalenceKey == key))
                {
                    throw new XunitException($"Fix '{key}' is offered for {Describe(diagnostic)} but should not be.");
                }
            }
        }

        foreach (var (key, fixedSources) in _fixes)
        {
            await VerifyFixAsync(project, actual, key, fixedSources, additional).ConfigureAwait(false);
        }
    }

    private Project CreateProject(IEnumerable<(string Name, string Text)> sources, IEnumerable<(string Name, string Text)> additionalFiles)
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var compilationOptions = new CSharpCompilationOptions(_outputKind, nullableContextOptions: NullableContextOptions.Enable);
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(projectId, VersionStamp.Default, "TestProject", "TestProject", LanguageNames.CSharp,
                filePath: SourceRoot + "TestProject.csproj",
                compilationOptions: compilationOptions,
                parseOptions: parseOptions,
                metadataReferences: TestReferences.Without(_withoutReferences)));

        foreach (var (name, text) in sources)
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId, name), name, SourceText.From(text, Encoding.UTF8), filePath: SourceRoot + name);
        }

        foreach (var (name, text) in additionalFiles)
        {
            solution = solution.AddAdditionalDocument(DocumentId.CreateNewId(projectId, name), name, SourceText.From(text, Encoding.UTF8), filePath: SourceRoot + name);
        }

        var editorConfig = new StringBuilder("root = true\n\n[*]\n");
        foreach (var option in _options)
        {
            editorConfig.Append(option).Append('\n');
        }

        editorConfig.Append('\n').Append(_editorConfig);
        solution = solution.AddAnalyzerConfigDocument(
            DocumentId.CreateNewId(projectId, ".editorconfig"), ".editorconfig", SourceText.From(editorConfig.ToString(), Encoding.UTF8), filePath: SourceRoot + ".editorconfig");
        return solution.GetProject(projectId)!;
    }

    private List<ExpectedDiagnostic> ExpectationsFrom(List<(string Name, Markup Markup)> files, IReadOnlyList<ExpectedDiagnostic> explicitExpectations)
    {
        var result = new List<ExpectedDiagnostic>();
        var locations = new Dictionary<int, (string Path, TextSpan Span)>();
        foreach (var (name, markup) in files)
        {
            foreach (var span in markup.Spans)
            {
                if (span.IsLocation)
                {
                    locations[int.Parse(span.Label!.Substring(1), CultureInfo.InvariantCulture)] = (SourceRoot + name, span.Span);
                }
                else
                {
                    var id = span.Label ?? SingleSupportedId();
                    result.Add(new ExpectedDiagnostic(id) { Path = SourceRoot + name, Span = span.Span });
                }
            }
        }

        foreach (var expectation in explicitExpectations)
        {
            if (expectation.LocationIndex is { } index)
            {
                if (!locations.TryGetValue(index, out var location))
                {
                    throw new InvalidOperationException($"No markup location {{|#{index}:...|}} for {expectation.Id}.");
                }

                result.Add(expectation with { Path = location.Path, Span = location.Span });
            }
            else
            {
                result.Add(expectation);
            }
        }

        return result;
    }

    private string SingleSupportedId()
    {
        var ids = _analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().ToList();
        return ids.Count == 1
            ? ids[0]
            : throw new InvalidOperationException("[|...|] needs an analyzer with exactly one diagnostic id; use {|ID:...|}.");
    }

    private async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Project project)
    {
        var compilation = (await project.GetCompilationAsync().ConfigureAwait(false))!;
        var exceptions = new List<string>();
        var options = new CompilationWithAnalyzersOptions(
            project.AnalyzerOptions,
            (exception, analyzer, _) => { lock (exceptions) { exceptions.Add($"{analyzer.GetType().Name}: {exception}"); } },
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(_analyzers, options).GetAnalyzerDiagnosticsAsync().ConfigureAwait(false);
        var crashes = diagnostics.Where(d => d.Id == "AD0001").Select(d => d.GetMessage(CultureInfo.InvariantCulture));
        var failures = exceptions.Concat(crashes).ToList();
        if (failures.Count > 0)
        {
            throw new XunitException("An analyzer threw (AD0001):\n" + string.Join("\n", failures));
        }

        return diagnostics
            .OrderBy(d => d.Location.SourceTree?.FilePath ?? d.Location.GetLineSpan().Path, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
    }

    private async Task AssertDiagnosticsAsync(Project project, List<ExpectedDiagnostic> expected, ImmutableArray<Diagnostic> actual, string stage)
    {
        var unmatched = actual.ToList();
        var missing = new List<ExpectedDiagnostic>();
        var wrong = new List<string>();
        foreach (var expectation in expected)
        {
            var match = unmatched.FirstOrDefault(d => d.Id == expectation.Id && PathOf(d) == expectation.Path && d.Location.SourceSpan == expectation.Span);
            if (match is null)
            {
                missing.Add(expectation);
                continue;
            }

            unmatched.Remove(match);
            var expectedMessage = expectation.Message ?? FormatMessage(expectation);
            if (expectedMessage is not null && match.GetMessage(CultureInfo.InvariantCulture) != expectedMessage)
            {
                wrong.Add($"{Describe(match)}\n    expected message: {expectedMessage}");
            }

            if (expectation.Severity is { } severity && match.Severity != severity)
            {
                wrong.Add($"{Describe(match)}\n    expected severity: {severity}, actual: {match.Severity}");
            }
        }

        if (missing.Count == 0 && unmatched.Count == 0 && wrong.Count == 0)
        {
            return;
        }

        var report = new StringBuilder($"Diagnostics of the {stage} differ from the expectation.\n");
        foreach (var m in missing)
        {
            report.Append("  missing: ").Append(m.Id).Append(" at ").Append(m.Path).Append(' ').Append(m.Span).Append('\n');
        }

        foreach (var u in unmatched)
        {
            report.Append("  unexpected: ").Append(Describe(u)).Append('\n');
        }

        foreach (var w in wrong)
        {
            report.Append("  wrong: ").Append(w).Append('\n');
        }

        report.Append(await AnnotateAsync(project, actual).ConfigureAwait(false));
        throw new XunitException(report.ToString());
    }

    private string? FormatMessage(ExpectedDiagnostic expectation)
    {
        if (expectation.Arguments is null)
        {
            return null;
        }

        var descriptor = _analyzers.SelectMany(a => a.SupportedDiagnostics).First(d => d.Id == expectation.Id);
        return string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture), expectation.Arguments);
    }

    private static async Task AssertCompilesAsync(Project project, string stage)
    {
        var compilation = (await project.GetCompilationAsync().ConfigureAwait(false))!;
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        if (errors.Length > 0)
        {
            throw new XunitException($"The {stage} does not compile:\n" + await AnnotateAsync(project, errors).ConfigureAwait(false));
        }
    }

    private async Task VerifyFixAsync(Project original, ImmutableArray<Diagnostic> originalDiagnostics, string key, string[] fixedSources, List<(string Name, Markup Markup)> additional)
    {
        if (_fixProvider is null)
        {
            throw new InvalidOperationException("WithFix needs RuleTest.For<TAnalyzer, TFix>().");
        }

        if (fixedSources.Length != _sources.Count)
        {
            throw new InvalidOperationException($"Fix '{key}': give one fixed source per source ({_sources.Count}).");
        }

        var offered = false;
        foreach (var diagnostic in originalDiagnostics)
        {
            offered |= (await ActionsForAsync(original, diagnostic).ConfigureAwait(false)).Any(a => a.EquivalenceKey == key);
        }

        if (!offered)
        {
            throw new XunitException($"Fix '{key}' is not offered for any diagnostic.");
        }

        var expectedMarkups = fixedSources.Select((s, i) => (_sources[i].Name, Markup: Markup.Parse(s))).ToList();

        var oneByOne = await FixOneByOneAsync(original, key).ConfigureAwait(false);
        await AssertFixedAsync(oneByOne, expectedMarkups, additional, $"fix '{key}' applied one diagnostic at a time").ConfigureAwait(false);

        foreach (var scope in new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution })
        {
            var fixedAll = await FixAllAsync(original, key, scope).ConfigureAwait(false);
            await AssertFixedAsync(fixedAll, expectedMarkups, additional, $"FixAll '{key}' in {scope} scope").ConfigureAwait(false);
        }
    }

    private async Task AssertFixedAsync(Project project, List<(string Name, Markup Markup)> expected, List<(string Name, Markup Markup)> additional, string stage)
    {
        foreach (var (name, markup) in expected)
        {
            var document = project.Documents.Single(d => d.Name == name);
            var actualText = (await document.GetTextAsync().ConfigureAwait(false)).ToString();
            if (actualText != markup.Text)
            {
                throw new XunitException($"The {stage} gives a different {name}.\n{FirstDifference(markup.Text, actualText)}\n--- expected ---\n{markup.Text}\n--- actual ---\n{actualText}");
            }
        }

        await AssertCompilesAsync(project, $"code after the {stage}").ConfigureAwait(false);
        var remaining = ExpectationsFrom(expected.Concat(additional).ToList(), Array.Empty<ExpectedDiagnostic>());
        await AssertDiagnosticsAsync(project, remaining, await AnalyzeAsync(project).ConfigureAwait(false), $"code after the {stage}").ConfigureAwait(false);
    }

    private async Task<Project> FixOneByOneAsync(Project project, string key)
    {
        for (var iteration = 0; iteration < MaxFixIterations; iteration++)
        {
            CodeAction? action = null;
            foreach (var diagnostic in await AnalyzeAsync(project).ConfigureAwait(false))
            {
                action = (await ActionsForAsync(project, diagnostic).ConfigureAwait(false)).FirstOrDefault(a => a.EquivalenceKey == key);
                if (action is not null)
                {
                    break;
                }
            }

            if (action is null)
            {
                return project;
            }

            project = await ApplyAsync(project, action).ConfigureAwait(false);
        }

        throw new XunitException($"Fix '{key}' did not converge in {MaxFixIterations} applications.");
    }

    private async Task<Project> FixAllAsync(Project project, string key, FixAllScope scope)
    {
        var fixAll = _fixProvider!.GetFixAllProvider() ?? throw new XunitException("The fix has no FixAll provider.");
        if (!fixAll.GetSupportedFixAllScopes().Contains(scope))
        {
            throw new XunitException($"FixAll does not support {scope} scope.");
        }

        var provider = new AnalyzerDiagnosticProvider(this);
        var ids = _fixProvider.FixableDiagnosticIds;
        for (var iteration = 0; iteration < MaxFixIterations; iteration++)
        {
            var diagnostics = await AnalyzeAsync(project).ConfigureAwait(false);
            var fixable = new List<Diagnostic>();
            foreach (var diagnostic in diagnostics)
            {
                if ((await ActionsForAsync(project, diagnostic).ConfigureAwait(false)).Any(a => a.EquivalenceKey == key))
                {
                    fixable.Add(diagnostic);
                }
            }

            if (fixable.Count == 0)
            {
                return project;
            }

            var documents = scope == FixAllScope.Document
                ? fixable.Select(d => project.GetDocument(d.Location.SourceTree)!).Distinct().ToList()
                : new List<Document> { project.GetDocument(fixable[0].Location.SourceTree)! };
            foreach (var documentId in documents.Select(d => d.Id).ToList())
            {
                var document = project.GetDocument(documentId)!;
                var context = new FixAllContext(document, _fixProvider, scope, key, ids, provider, CancellationToken.None);
                var action = await fixAll.GetFixAsync(context).ConfigureAwait(false)
                             ?? throw new XunitException($"FixAll '{key}' in {scope} scope produced no action.");
                project = await ApplyAsync(project, action).ConfigureAwait(false);
            }
        }

        throw new XunitException($"FixAll '{key}' did not converge in {MaxFixIterations} rounds.");
    }

    private async Task<List<CodeAction>> ActionsForAsync(Project project, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        if (_fixProvider is null || !_fixProvider.FixableDiagnosticIds.Contains(diagnostic.Id) || project.GetDocument(diagnostic.Location.SourceTree) is not { } document)
        {
            return actions;
        }

        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await _fixProvider.RegisterCodeFixesAsync(context).ConfigureAwait(false);
        return actions.SelectMany(a => a.NestedActions.IsDefaultOrEmpty ? new[] { a } : a.NestedActions.ToArray()).ToList();
    }

    private static async Task<Project> ApplyAsync(Project project, CodeAction action)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None).ConfigureAwait(false);
        var apply = operations.OfType<ApplyChangesOperation>().Single();
        return apply.ChangedSolution.GetProject(project.Id)!;
    }

    private static string? PathOf(Diagnostic diagnostic) => diagnostic.Location.GetLineSpan().Path;

    private static string Describe(Diagnostic diagnostic)
        => $"{diagnostic.Id} at {PathOf(diagnostic)} {diagnostic.Location.SourceSpan} ({diagnostic.Severity}): {diagnostic.GetMessage(CultureInfo.InvariantCulture)}";

    /// <summary>Every source, with <c>^^^ ID: message</c> under each diagnostic.</summary>
    private static async Task<string> AnnotateAsync(Project project, IEnumerable<Diagnostic> diagnostics)
    {
        var report = new StringBuilder();
        var all = diagnostics.ToList();
        foreach (var document in project.Documents.Cast<TextDocument>().Concat(project.AdditionalDocuments))
        {
            var text = await document.GetTextAsync().ConfigureAwait(false);
            report.Append("--- ").Append(document.FilePath).Append(" ---\n");
            var mine = all.Where(d => PathOf(d) == document.FilePath).ToList();
            foreach (var line in text.Lines)
            {
                report.Append(line.ToString()).Append('\n');
                foreach (var diagnostic in mine.Where(d => line.Span.Contains(d.Location.SourceSpan.Start) || (line.Span.IsEmpty && line.Start == d.Location.SourceSpan.Start)))
                {
                    var column = diagnostic.Location.SourceSpan.Start - line.Start;
                    var width = Math.Max(1, Math.Min(diagnostic.Location.SourceSpan.Length, line.End - diagnostic.Location.SourceSpan.Start));
                    report.Append(' ', column).Append('^', width).Append(' ').Append(diagnostic.Id).Append(": ")
                        .Append(diagnostic.GetMessage(CultureInfo.InvariantCulture)).Append('\n');
                }
            }
        }

        return report.ToString();
    }

    private static string FirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : "<end>";
            var a = i < actualLines.Length ? actualLines[i] : "<end>";
            if (e != a)
            {
                return $"First difference at line {i + 1}:\n  expected: {e.Replace("\r", "\\r")}\n  actual:   {a.Replace("\r", "\\r")}";
            }
        }

        return "The texts differ only in line endings.";
    }

    private sealed class AnalyzerDiagnosticProvider : FixAllContext.DiagnosticProvider
    {
        private readonly RuleTest _test;

        public AnalyzerDiagnosticProvider(RuleTest test) => _test = test;

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
            return (await _test.AnalyzeAsync(document.Project).ConfigureAwait(false)).Where(d => d.Location.SourceTree == tree);
        }

        public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => (await _test.AnalyzeAsync(project).ConfigureAwait(false)).Where(d => d.Location.SourceTree is null);

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => await _test.AnalyzeAsync(project).ConfigureAwait(false);
    }
}
