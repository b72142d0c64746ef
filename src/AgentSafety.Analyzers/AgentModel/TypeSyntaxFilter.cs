using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// A sound pre-check that spares the semantic model: type syntax can name a type only through the type's own
/// simple name or through a <c>using</c> alias, so when its rightmost name is neither, the syntax does not name that
/// type. The alias names of the compilation are collected once, from the usings of every file.
/// </summary>
internal sealed class TypeSyntaxFilter
{
    private readonly Compilation _compilation;
    private ImmutableHashSet<string>? _aliasNames;

    public TypeSyntaxFilter(Compilation compilation) => _compilation = compilation;

    /// <summary>False only when <paramref name="syntax"/> certainly names none of <paramref name="types"/>.</summary>
    public bool MayName(TypeSyntax syntax, ImmutableArray<INamedTypeSymbol> types)
    {
        var name = RightmostName(syntax);
        if (name is null)
        {
            return true;
        }

        foreach (var type in types)
        {
            if (type.Name == name)
            {
                return true;
            }
        }

        return AliasNames.Contains(name);
    }

    // Concurrent first calls may each collect the same set; the last one written wins, all are equal.
    private ImmutableHashSet<string> AliasNames
        => _aliasNames ??= CollectAliasNames(_compilation);

    private static string? RightmostName(TypeSyntax syntax)
        => syntax switch
        {
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText,
            _ => null,
        };

    private static ImmutableHashSet<string> CollectAliasNames(Compilation compilation)
    {
        var names = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (tree.GetRoot() is CompilationUnitSyntax unit)
            {
                Collect(unit.Usings, unit.Members, names);
            }
        }

        return names.ToImmutable();
    }

    private static void Collect(SyntaxList<UsingDirectiveSyntax> usings, SyntaxList<MemberDeclarationSyntax> members, ImmutableHashSet<string>.Builder names)
    {
        foreach (var directive in usings)
        {
            if (directive.Alias is { } alias)
            {
                names.Add(alias.Name.Identifier.ValueText);
            }
        }

        foreach (var member in members)
        {
            if (member is BaseNamespaceDeclarationSyntax ns)
            {
                Collect(ns.Usings, ns.Members, names);
            }
        }
    }
}
