using Microsoft.CodeAnalysis;

namespace AgentSafety.CodeFixes.Editing;

/// <summary>Finds a value of a wanted type that code at a position may use: local, parameter, field or property.</summary>
internal static class ScopeSymbols
{
    /// <summary>
    /// The nearest usable symbol whose type satisfies <paramref name="isWanted"/>: locals and parameters before
    /// fields and properties; instance members only where <c>this</c> is available; locals only once declared.
    /// </summary>
    public static ISymbol? FindValue(SemanticModel semanticModel, int position, Func<ITypeSymbol, bool> isWanted)
    {
        var enclosing = semanticModel.GetEnclosingSymbol(position);
        var staticContext = IsStaticContext(enclosing);
        ISymbol? best = null;
        var bestRank = int.MaxValue;
        foreach (var symbol in semanticModel.LookupSymbols(position))
        {
            var (type, rank) = symbol switch
            {
                ILocalSymbol local when DeclaredBefore(local, position) => (local.Type, 0),
                IParameterSymbol parameter when !staticContext || parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.Constructor } => (parameter.Type, 1),
                IFieldSymbol field when (!staticContext || field.IsStatic) && !field.IsImplicitlyDeclared => (field.Type, 2),
                IPropertySymbol property when (!staticContext || property.IsStatic) && !property.IsIndexer && property.GetMethod is not null => (property.Type, 3),
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

    private static bool DeclaredBefore(ILocalSymbol local, int position)
        => local.DeclaringSyntaxReferences.Length > 0 && local.DeclaringSyntaxReferences[0].Span.End <= position;

    /// <summary>True when code of <paramref name="symbol"/> has no <c>this</c>: it or an enclosing member or lambda is static.</summary>
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
