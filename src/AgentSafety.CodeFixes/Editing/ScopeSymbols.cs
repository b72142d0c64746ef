using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentSafety.CodeFixes.Editing;

/// <summary>Finds a value of a wanted type that code at a position may use: local, parameter, field or property.</summary>
internal static class ScopeSymbols
{
    /// <summary>
    /// The nearest usable symbol whose type satisfies <paramref name="isWanted"/>: locals and parameters before
    /// fields and properties; instance members only where <c>this</c> is available (not in static code, and not in a
    /// field or property initializer, where primary-constructor parameters still are); locals only once declared.
    /// <paramref name="assumeStatic"/> treats the position as static code (a <c>const</c> about to become
    /// <c>static readonly</c>).
    /// </summary>
    public static ISymbol? FindValue(SemanticModel semanticModel, int position, Func<ITypeSymbol, bool> isWanted, bool assumeStatic = false)
    {
        var enclosing = semanticModel.GetEnclosingSymbol(position);
        var initializer = MemberInitializer(semanticModel, position);
        var staticContext = assumeStatic || initializer == Initializer.Static || IsStaticContext(enclosing);
        var noThis = staticContext || initializer == Initializer.Instance;
        ISymbol? best = null;
        var bestRank = int.MaxValue;
        foreach (var symbol in semanticModel.LookupSymbols(position))
        {
            var (type, rank) = symbol switch
            {
                ILocalSymbol local when DeclaredBefore(local, position) => (local.Type, 0),
                IParameterSymbol parameter when !staticContext || parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.Constructor } => (parameter.Type, 1),
                IFieldSymbol field when (!noThis || field.IsStatic) && !field.IsImplicitlyDeclared => (field.Type, 2),
                IPropertySymbol property when (!noThis || property.IsStatic) && !property.IsIndexer && property.GetMethod is not null => (property.Type, 3),
                _ => (null, int.MaxValue),
            };

            if (type is not null && rank < bestRank && isWanted(type))
            {
                best = symbol;
                bestRank = rank;
            }
        }

        return best;
    }

    private enum Initializer
    {
        None,
        Instance,
        Static,
    }

    /// <summary>
    /// Whether the position is inside a field or property initializer (lambdas in it included), and of which kind:
    /// such code runs before any constructor body and cannot use <c>this</c> (CS0236); a static one cannot use
    /// primary-constructor parameters either.
    /// </summary>
    private static Initializer MemberInitializer(SemanticModel semanticModel, int position)
    {
        var token = semanticModel.SyntaxTree.GetRoot().FindToken(position);
        foreach (var node in token.Parent?.AncestorsAndSelf() ?? Enumerable.Empty<SyntaxNode>())
        {
            switch (node)
            {
                case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent.Parent: BaseFieldDeclarationSyntax field } }:
                    return IsStatic(field.Modifiers) ? Initializer.Static : Initializer.Instance;
                case EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax property }:
                    return IsStatic(property.Modifiers) ? Initializer.Static : Initializer.Instance;
                case MemberDeclarationSyntax:
                    return Initializer.None;
            }
        }

        return Initializer.None;
    }

    private static bool IsStatic(SyntaxTokenList modifiers)
        => modifiers.Any(m => m.IsKind(SyntaxKind.StaticKeyword) || m.IsKind(SyntaxKind.ConstKeyword));

    private static bool DeclaredBefore(ILocalSymbol local, int position)
        => local.DeclaringSyntaxReferences.Length > 0 && local.DeclaringSyntaxReferences[0].Span.End <= position;

    /// <summary>True when code in <paramref name="symbol"/> has no <c>this</c>: a static member, static local function or static lambda, or inside one.</summary>
    public static bool IsStaticContext(ISymbol? symbol)
    {
        for (var current = symbol; current is not null and not INamedTypeSymbol; current = current.ContainingSymbol)
        {
            if (current.IsStatic)
            {
                return true;
            }
        }

        return false;
    }
}
