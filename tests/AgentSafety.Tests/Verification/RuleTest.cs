using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace AgentSafety.Tests.Verification;

/// <summary>
/// A rule test, run by Microsoft.CodeAnalysis.Testing (<see cref="CodeFixTest{TVerifier}"/> with
/// <see cref="DefaultVerifier"/>): markup <c>[|...|]</c>, <c>{|AGS003:...|}</c>, <c>{|#0:...|}</c>; the sources must
/// compile; every diagnostic is compared (id, file, span, and message and severity when given); the framework's own
/// checks run too (<c>#pragma</c> suppression, generated code); each fix is checked one diagnostic at a time and
/// through FixAll in document, project and solution scope (<c>FixedState</c>; <c>BatchFixedState</c> defaults to it).
/// This class is only the fluent builder the rule tests are written in (one line per case reads like the rule's
/// page) and maps it onto the framework's test state. What the framework lacks and this adds: sources compiled
/// against the real agent SDK packages the test project restores (<see cref="TestReferences"/>), optionally without
/// one of them (<see cref="WithoutReference"/>); "this fix is not offered" (<see cref="WithoutFix"/>, a fix test
/// whose expected output is the input); several fixes of one source in one test.
/// </summary>
internal sealed class RuleTest
{
    /// <summary>The project folder of every test file: sources, additional files and the <c>.editorconfig</c>.</summary>
    public const string ProjectFolder = "/0/";

    private static readonly ReferenceAssemblies NoPackages = new("net10.0");

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
    private readonly List<string> _olderPackages = new();
    private readonly List<MetadataReference> _testFramework = new();
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

    /// <summary>Adds a C# source (markup) named <c>Test{n}.cs</c> unless a name is given (a path under the project folder).</summary>
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

    /// <summary>Compiles without the package or assembly <paramref name="name"/> and those nested under it (<c>Polly</c>: Polly, Polly.Core, Polly.Extensions).</summary>
    public RuleTest WithoutReference(string name)
    {
        _withoutReferences.Add(name);
        return this;
    }

    /// <summary>
    /// Compiles against an older version of a package (<c>"ModelContextProtocol.Core@0.2.0-preview.3"</c>, downloaded
    /// by the test project: see <see cref="TestReferences.OlderPackage"/>) instead of the one the tests reference.
    /// </summary>
    public RuleTest WithOlderPackage(string packageAtVersion)
    {
        _olderPackages.Add(packageAtVersion);
        _withoutReferences.Add(packageAtVersion.Split('@')[0]);
        return this;
    }

    /// <summary>
    /// Compiles with xunit's <c>ITestOutputHelper</c> (xunit.abstractions) and <c>Assert</c> (xunit.assert), left out of the
    /// default references as test tooling, as code written as xunit tests does (Semantic Kernel's samples).
    /// </summary>
    public RuleTest WithTestFrameworkReference()
    {
        _testFramework.Add(MetadataReference.CreateFromFile(typeof(Xunit.Abstractions.ITestOutputHelper).Assembly.Location));
        _testFramework.Add(MetadataReference.CreateFromFile(typeof(Xunit.Assert).Assembly.Location));
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

    /// <summary>No diagnostic offers the fix with <paramref name="equivalenceKey"/>: applying it changes nothing.</summary>
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

        if (_fixes.Count == 0 && _fixesNotOffered.Count == 0)
        {
            await NewTest().RunAsync().ConfigureAwait(false);
            return;
        }

        foreach (var (key, fixedSources) in _fixes)
        {
            if (_fixProvider is null)
            {
                throw new InvalidOperationException("WithFix needs RuleTest.For<TAnalyzer, TFix>().");
            }

            if (fixedSources.Length != _sources.Count)
            {
                throw new InvalidOperationException($"Fix '{key}': give one fixed source per source ({_sources.Count}).");
            }

            await NewTest(key, fixedSources).RunAsync().ConfigureAwait(false);
        }

        foreach (var key in _fixesNotOffered)
        {
            if (_fixProvider is null)
            {
                throw new InvalidOperationException("WithoutFix needs RuleTest.For<TAnalyzer, TFix>().");
            }

            await NewTest(key, _sources.Select(s => s.Markup).ToArray()).RunAsync().ConfigureAwait(false);
        }
    }

    private Test NewTest(string? fixKey = null, string[]? fixedSources = null)
    {
        var test = new Test(_analyzers, _fixProvider, _outputKind, ProjectWideSeverities())
        {
            ReferenceAssemblies = NoPackages,
            CodeActionEquivalenceKey = fixKey,
        };

        var references = TestReferences.Without(_withoutReferences).AddRange(_olderPackages.Select(TestReferences.OlderPackage)).AddRange(_testFramework);
        var editorConfig = EditorConfig();
        test.TestState.OutputKind = _outputKind;
        Fill(test.TestState, _sources.Select(s => s.Markup).ToArray(), references, editorConfig);
        foreach (var expectation in _expected)
        {
            test.TestState.ExpectedDiagnostics.Add(ToResult(expectation));
        }

        if (_analyzers.Any(a => a.SupportedDiagnostics.Any(d => d.Id == "AGS001")) || editorConfig.Contains("generated_code", StringComparison.Ordinal))
        {
            // The framework's generated-code pass marks every source generated and expects no finding in it; AGS001
            // reads the files next to the project too (never code), and 'generated_code = analyze' asks for findings there.
            test.TestBehaviors |= TestBehaviors.SkipGeneratedCodeCheck;
        }

        if (_sources.Any(s => s.Markup.Contains("#pragma warning restore", StringComparison.Ordinal)))
        {
            // The framework's suppression pass puts '#pragma warning disable' at the top of each file and expects
            // nothing left; a test's own 'restore' rightly brings findings back after it.
            test.TestBehaviors |= TestBehaviors.SkipSuppressionCheck;
        }

        if (fixedSources is not null)
        {
            // The fixed sources' markup is the diagnostics left after the fix; references and .editorconfig are inherited.
            test.FixedState.MarkupHandling = MarkupMode.Allow;
            for (var i = 0; i < fixedSources.Length; i++)
            {
                test.FixedState.Sources.Add((ProjectFolder + _sources[i].Name, fixedSources[i]));
            }

            foreach (var (name, markup) in _additionalFiles)
            {
                test.FixedState.AdditionalFiles.Add((ProjectFolder + name, markup));
            }
        }

        return test;
    }

    private void Fill(SolutionState state, string[] sources, ImmutableArray<MetadataReference> references, string editorConfig)
    {
        for (var i = 0; i < sources.Length; i++)
        {
            state.Sources.Add((ProjectFolder + _sources[i].Name, sources[i]));
        }

        foreach (var (name, markup) in _additionalFiles)
        {
            state.AdditionalFiles.Add((ProjectFolder + name, markup));
        }

        state.AnalyzerConfigFiles.Add((ProjectFolder + ".editorconfig", editorConfig));
        state.AdditionalReferences.AddRange(references);
    }

    /// <summary>
    /// The <c>dotnet_diagnostic.ID.severity</c> options set for the whole project. The framework enables every rule
    /// under test with a compilation-wide <c>ReportDiagnostic.Default</c>, which outranks the <c>.editorconfig</c>
    /// severity of a source file (a rule set to <c>error</c> there stays a warning); the same severity given as the
    /// compilation's own option takes the framework's place. A build applies the <c>.editorconfig</c> line itself
    /// (tests/AgentSafety.Tests/Package: presets and severities end to end).
    /// </summary>
    private ImmutableDictionary<string, ReportDiagnostic> ProjectWideSeverities()
    {
        var result = ImmutableDictionary.CreateBuilder<string, ReportDiagnostic>();
        foreach (var option in _options)
        {
            var parts = option.Split('=', 2, StringSplitOptions.TrimEntries);
            var key = parts[0];
            if (parts.Length == 2 && key.StartsWith("dotnet_diagnostic.", StringComparison.Ordinal) && key.EndsWith(".severity", StringComparison.Ordinal))
            {
                var id = key["dotnet_diagnostic.".Length..^".severity".Length];
                result[id] = parts[1] switch
                {
                    "error" => ReportDiagnostic.Error,
                    "warning" => ReportDiagnostic.Warn,
                    "suggestion" => ReportDiagnostic.Info,
                    "silent" => ReportDiagnostic.Hidden,
                    "none" => ReportDiagnostic.Suppress,
                    _ => ReportDiagnostic.Default,
                };
            }
        }

        return result.ToImmutable();
    }

    private string EditorConfig()
    {
        var text = new StringBuilder("root = true\n\n[*]\n");
        foreach (var option in _options)
        {
            text.Append(option).Append('\n');
        }

        return text.Append('\n').Append(_editorConfig).ToString();
    }

    private DiagnosticResult ToResult(ExpectedDiagnostic expectation)
    {
        if (expectation.LocationIndex is not { } index)
        {
            throw new InvalidOperationException($"An expected {expectation.Id} needs a markup location: Diagnostic(id).At(n) with {{|#n:...|}}.");
        }

        var descriptor = _analyzers.SelectMany(a => a.SupportedDiagnostics).FirstOrDefault(d => d.Id == expectation.Id);
        var result = new DiagnosticResult(expectation.Id, expectation.Severity ?? descriptor?.DefaultSeverity ?? DiagnosticSeverity.Warning)
            .WithLocation(index);
        if (expectation.Severity is null)
        {
            result = result.WithOptions(DiagnosticOptions.IgnoreSeverity);
        }

        if (expectation.Message is { } message)
        {
            result = result.WithMessage(message);
        }
        else if (expectation.Arguments is { } arguments)
        {
            if (descriptor is null)
            {
                throw new InvalidOperationException($"No analyzer of this test supports {expectation.Id}.");
            }

            result = result.WithMessageFormat(descriptor.MessageFormat).WithArguments(arguments);
        }

        return result;
    }

    /// <summary>The framework's C# code-fix test over analyzers and a fix known at run time.</summary>
    private sealed class Test : CodeFixTest<DefaultVerifier>
    {
        private readonly ImmutableArray<DiagnosticAnalyzer> _analyzers;
        private readonly CodeFixProvider? _fixProvider;
        private readonly OutputKind _outputKind;
        private readonly ImmutableDictionary<string, ReportDiagnostic> _severities;

        public Test(ImmutableArray<DiagnosticAnalyzer> analyzers, CodeFixProvider? fixProvider, OutputKind outputKind, ImmutableDictionary<string, ReportDiagnostic> severities)
        {
            _analyzers = analyzers;
            _fixProvider = fixProvider;
            _outputKind = outputKind;
            _severities = severities;
        }

        public override string Language => LanguageNames.CSharp;

        protected override string DefaultFileExt => "cs";

        public override Type SyntaxKindType => typeof(SyntaxKind);

        protected override CompilationOptions CreateCompilationOptions()
            => new CSharpCompilationOptions(_outputKind, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true, specificDiagnosticOptions: _severities);

        protected override ParseOptions CreateParseOptions()
            => new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose);

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => _analyzers;

        /// <summary><c>[|...|]</c> is the rule's one id, also where it has several messages (AGS004: a tool, a stub compensation).</summary>
        protected override DiagnosticDescriptor? GetDefaultDiagnostic(DiagnosticAnalyzer[] analyzers)
        {
            var descriptors = analyzers.SelectMany(a => a.SupportedDiagnostics).ToList();
            return descriptors.Select(d => d.Id).Distinct().Count() == 1 ? descriptors[0] : base.GetDefaultDiagnostic(analyzers);
        }

        protected override IEnumerable<CodeFixProvider> GetCodeFixProviders()
            => _fixProvider is null ? Array.Empty<CodeFixProvider>() : new[] { _fixProvider };
    }
}
