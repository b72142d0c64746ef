using System.Collections.Concurrent;
using System.Collections.Immutable;
using AgentSafety.Analyzers.AgentModel;
using AgentSafety.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentSafety.Tests.AgentModel;

/// <summary>
/// AGS001's shortcuts (issue 19's cost): each answers as the full question it spares would, on inputs of every kind.
/// </summary>
public class HardcodedSecretPrefilterTests
{
    private const string AttributeSource = """
        using System;
        [assembly: Vault("assembly-wide")]
        [module: Vault("module-wide")]
        [AttributeUsage(AttributeTargets.All, AllowMultiple = true)]
        sealed class VaultAttribute : Attribute
        {
            public VaultAttribute(string passphrase) { }
            public VaultAttribute(int slot, string route) { }
            public string? Password { get; set; }
        }
        [Vault("on-type")]
        class Holder<[Vault("on-type-parameter")] T>
        {
            [Vault("on-method")]
            void M<[Vault("on-method-type-parameter")] U>([Vault("on-parameter")] string p, [Vault(2, "second")] int q)
            {
                [Vault("on-local-function")]
                static void Local([Vault("on-local-parameter")] int x) { }
                Func<int, int> f = [Vault("on-lambda")] ([Vault("on-lambda-parameter")] int y) => y;
            }
            [return: Vault("on-return")]
            string R() => "";
            [Vault("on-property")]
            public string Prop { get; set; } = "";
            [field: Vault("on-backing-field")]
            public string Backed { get; set; } = "";
            public string this[[Vault("on-indexer-parameter")] int i] => "";
            [Vault("on-field")]
            int _field, _other;
            [Vault("on-event")]
            event EventHandler? Changed;
            [Vault(1, 2, 3)]
            void WrongArguments() { }
            [Missing("unresolved")]
            void Unresolved() { }
            [Vault("on-constructor")]
            Holder() { }
        }
        [Vault("on-delegate")]
        [return: Vault("on-delegate-return")]
        delegate int Handler([Vault("on-delegate-parameter")] int a);
        enum Kind { [Vault("on-enum-member")] One }
        record Person([Vault("on-record-parameter")] string Name);
        """;

    [Fact]
    public void Attribute_constructors_read_from_the_owner_are_the_ones_binding_the_attribute_gives()
    {
        var tree = CSharpSyntaxTree.ParseText(AttributeSource, new CSharpParseOptions(LanguageVersion.Latest), path: "/src/Attributes.cs");
        var compilation = CSharpCompilation.Create("Attributes", new[] { tree }, TestReferences.Default,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        compilation.GetDiagnostics();

        // The owner each attribute is seen with is the one the driver hands a syntax node action.
        var recorder = new AttributeOwners();
        var diagnostics = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(recorder)).GetAnalyzerDiagnosticsAsync().Result;
        Assert.Empty(diagnostics);

        // The driver analyzes a compilation of its own: its symbols are the ones the owners are.
        var analyzed = recorder.Compilation!;
        var model = analyzed.GetSemanticModel(tree);
        var attributes = tree.GetRoot().DescendantNodes().OfType<AttributeSyntax>().ToList();
        Assert.Equal(attributes.Count, recorder.Owners.Count);
        var found = new List<string>();
        foreach (var attribute in attributes)
        {
            var label = attribute.ArgumentList?.Arguments.Select(a => a.ToString()).LastOrDefault() ?? attribute.ToString();
            var bound = model.GetSymbolInfo(attribute).Symbol;
            if (AppliedAttributes.Find(attribute, recorder.Owners[attribute], analyzed, out var constructor))
            {
                Assert.True(SymbolEqualityComparer.Default.Equals(bound, constructor), $"{label}: {constructor} read, {bound} bound");
                found.Add(label);
            }
        }

        // Declarations, their parameters, type parameters and return values, the assembly and the module, and
        // attributes that did not bind are read from their symbols; only what belongs to nested code is bound.
        string[] expected =
        [
            "\"assembly-wide\"", "\"module-wide\"", "\"on-type\"", "\"on-type-parameter\"", "\"on-method\"",
            "\"on-method-type-parameter\"", "\"on-parameter\"", "\"second\"", "\"on-return\"", "\"on-property\"",
            "\"on-indexer-parameter\"", "\"on-field\"", "\"on-event\"", "3", "\"unresolved\"", "\"on-constructor\"",
            "\"on-delegate\"", "\"on-delegate-return\"", "\"on-delegate-parameter\"", "\"on-enum-member\"",
        ];
        Assert.All(expected, label => Assert.Contains(label, found));
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class AttributeOwners : DiagnosticAnalyzer
    {
        public ConcurrentDictionary<AttributeSyntax, ISymbol?> Owners { get; } = new();

        public Compilation? Compilation { get; private set; }

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(new DiagnosticDescriptor("TEST01", "t", "t", "t", DiagnosticSeverity.Hidden, true));

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterSyntaxNodeAction(
                c =>
                {
                    Compilation = c.SemanticModel.Compilation;
                    Owners[(AttributeSyntax)c.Node] = c.ContainingSymbol;
                },
                SyntaxKind.Attribute);
        }
    }
}
