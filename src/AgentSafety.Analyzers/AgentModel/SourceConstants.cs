using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// The names of the <c>const</c> fields declared in source, collected once per compilation from type declarations
/// (members only, no body is walked, nothing is bound): a cheap test before binding a name that only matters when
/// it is a source constant.
/// </summary>
internal sealed class SourceConstants
{
    private readonly Lazy<ImmutableHashSet<string>> _fieldNames;

    public SourceConstants(Compilation compilation)
        => _fieldNames = new Lazy<ImmutableHashSet<string>>(() => Collect(compilation), LazyThreadSafetyMode.ExecutionAndPublication);

    public bool MayBeConstField(string name) => _fieldNames.Value.Contains(name);

    private static ImmutableHashSet<string> Collect(Compilation compilation)
    {
        var names = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (tree.GetRoot() is CompilationUnitSyntax unit)
            {
                Collect(unit.Members, names);
            }
        }

        return names.ToImmutable();
    }

    private static void Collect(SyntaxList<MemberDeclarationSyntax> members, ImmutableHashSet<string>.Builder names)
    {
        foreach (var member in members)
        {
            switch (member)
            {
                case BaseNamespaceDeclarationSyntax ns:
                    Collect(ns.Members, names);
                    break;
                case TypeDeclarationSyntax type:
                    Collect(type.Members, names);
                    break;
                case FieldDeclarationSyntax field when field.Modifiers.Any(SyntaxKind.ConstKeyword):
                    foreach (var variable in field.Declaration.Variables)
                    {
                        names.Add(variable.Identifier.ValueText);
                    }

                    break;
            }
        }
    }
}
