using System.Collections.Immutable;
using System.Runtime.CompilerServices;
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
    private UsingFacts? _usings;

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

    /// <summary>
    /// False only when the invocation certainly calls no static method of <paramref name="types"/>: its receiver's
    /// rightmost name is neither a type's name nor an alias, or it is a bare call and no file has <c>using static</c>.
    /// </summary>
    public bool MayCallStaticOf(InvocationExpressionSyntax invocation, ImmutableArray<INamedTypeSymbol> types)
        => invocation.Expression switch
        {
            // A static method is called through its type's name (simple, qualified, an alias), never through a value.
            MemberAccessExpressionSyntax { Expression: TypeSyntax type } => MayName(type, types),
            MemberAccessExpressionSyntax { Expression: MemberAccessExpressionSyntax qualified } => MayName(qualified.Name, types),
            MemberAccessExpressionSyntax => false,
            SimpleNameSyntax => Usings.AnyStatic,
            _ => true,
        };

    /// <summary>
    /// The identifiers through which code can name one of <paramref name="types"/> as a receiver: their names and
    /// every alias; null when a bare call may reach them anyway (some file has <c>using static</c>).
    /// </summary>
    public IReadOnlyCollection<string>? NamesFor(ImmutableArray<INamedTypeSymbol> types)
        => Usings.AnyStatic ? null : Usings.AliasNames.Union(types.Select(t => t.Name));

    // Concurrent first calls may each collect the same sets; the last one written wins, all are equal.
    private ImmutableHashSet<string> AliasNames => Usings.AliasNames;

    private UsingFacts Usings => _usings ??= CollectUsings(_compilation);

    /// <summary>True when <paramref name="name"/> is a <c>using</c> alias somewhere in the compilation.</summary>
    public bool IsAlias(string name) => AliasNames.Contains(name);

    /// <summary>The identifier type syntax ends with (<c>C</c> in <c>A.B.C</c>, <c>C&lt;T&gt;</c>, <c>x::C</c>); null for other syntax.</summary>
    public static string? RightmostName(TypeSyntax syntax)
        => syntax switch
        {
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText,
            _ => null,
        };

    [MethodImpl(OneTimeWork.Optimized)]
    private static UsingFacts CollectUsings(Compilation compilation)
    {
        var names = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var anyStatic = false;
        foreach (var tree in compilation.SyntaxTrees)
        {
            var facts = TreeUsings.GetValue(tree, static t => CollectUsings(t));
            names.UnionWith(facts.AliasNames);
            anyStatic |= facts.AnyStatic;
        }

        return new UsingFacts(names.ToImmutable(), anyStatic);
    }

    /// <summary>
    /// Each file's usings, kept with its syntax tree: the IDE analyzes each document in a compilation of its own, and
    /// a file's usings are the same in all of them (see <see cref="IdentifierSearch"/>).
    /// </summary>
    private static readonly ConditionalWeakTable<SyntaxTree, UsingFacts> TreeUsings = new();

    private static UsingFacts CollectUsings(SyntaxTree tree)
    {
        var names = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var anyStatic = false;
        if (tree.GetRoot() is CompilationUnitSyntax unit)
        {
            Collect(unit.Usings, unit.Members, names, ref anyStatic);
        }

        return new UsingFacts(names.ToImmutable(), anyStatic);
    }

    private static void Collect(SyntaxList<UsingDirectiveSyntax> usings, SyntaxList<MemberDeclarationSyntax> members, ImmutableHashSet<string>.Builder names, ref bool anyStatic)
    {
        foreach (var directive in usings)
        {
            if (directive.Alias is { } alias)
            {
                names.Add(alias.Name.Identifier.ValueText);
            }

            anyStatic |= directive.StaticKeyword.IsKind(SyntaxKind.StaticKeyword);
        }

        foreach (var member in members)
        {
            if (member is BaseNamespaceDeclarationSyntax ns)
            {
                Collect(ns.Usings, ns.Members, names, ref anyStatic);
            }
        }
    }

    private sealed class UsingFacts
    {
        public UsingFacts(ImmutableHashSet<string> aliasNames, bool anyStatic)
        {
            AliasNames = aliasNames;
            AnyStatic = anyStatic;
        }

        /// <summary>Every <c>using</c> alias name in the compilation.</summary>
        public ImmutableHashSet<string> AliasNames { get; }

        /// <summary>Whether any file has a <c>using static</c> directive (a bare call may then reach another type's method).</summary>
        public bool AnyStatic { get; }
    }
}
