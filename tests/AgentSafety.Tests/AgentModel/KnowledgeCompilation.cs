using AgentSafety.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;
using Xunit.Sdk;
using Model = AgentSafety.Analyzers.AgentModel.AgentModel;

namespace AgentSafety.Tests.AgentModel;

/// <summary>A compiled source for asking the knowledge layer questions directly.</summary>
internal sealed class KnowledgeCompilation
{
    private KnowledgeCompilation(CSharpCompilation compilation)
    {
        Compilation = compilation;
        Model = Model.For(compilation);
    }

    public CSharpCompilation Compilation { get; }

    public Model Model { get; }

    public static KnowledgeCompilation Of(params string[] sources)
    {
        var trees = sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest), path: $"/src/K{i}.cs"));
        var compilation = CSharpCompilation.Create("Knowledge", trees, TestReferences.Default,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new XunitException("The knowledge test source does not compile:\n" + string.Join("\n", errors));
        }

        return new KnowledgeCompilation(compilation);
    }

    public INamedTypeSymbol Type(string metadataName)
        => Compilation.GetTypeByMetadataName(metadataName) ?? throw new XunitException($"No type {metadataName}.");

    public IMethodSymbol Method(string typeMetadataName, string name)
        => Type(typeMetadataName).GetMembers(name).OfType<IMethodSymbol>().Single();

    /// <summary>Every invocation and object creation in the method body, in source order.</summary>
    public IReadOnlyList<IOperation> Calls(string typeMetadataName, string methodName)
    {
        var body = Model.Bodies.GetBody(Method(typeMetadataName, methodName)) ?? throw new XunitException("No body.");
        return body.Descendants().Where(o => o is IInvocationOperation or IObjectCreationOperation).OrderBy(o => o.Syntax.SpanStart).ToList();
    }
}
