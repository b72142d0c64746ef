using Microsoft.CodeAnalysis;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>Cache keys of a symbol and a raw option value (answers differ with the configured attributes).</summary>
internal sealed class SymbolKeyComparer : IEqualityComparer<(ISymbol Symbol, string Option)>
{
    public static readonly SymbolKeyComparer Instance = new();

    public bool Equals((ISymbol Symbol, string Option) x, (ISymbol Symbol, string Option) y)
        => SymbolEqualityComparer.Default.Equals(x.Symbol, y.Symbol) && string.Equals(x.Option, y.Option, StringComparison.Ordinal);

    public int GetHashCode((ISymbol Symbol, string Option) obj)
        => SymbolEqualityComparer.Default.GetHashCode(obj.Symbol) ^ StringComparer.Ordinal.GetHashCode(obj.Option);
}
