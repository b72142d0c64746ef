using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// Parsed option values, shared per compilation: most trees of a project carry the same option text, so each
/// distinct text is parsed (and its symbols resolved) once.
/// </summary>
internal sealed class OptionCache
{
    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<string, SymbolNameMatcher> _matchers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ImmutableArray<INamedTypeSymbol>> _types = new(StringComparer.Ordinal);

    public OptionCache(Compilation compilation) => _compilation = compilation;

    public SymbolNameMatcher Methods(string? optionValue)
        => optionValue is null or ""
            ? SymbolNameMatcher.Empty
            : _matchers.GetOrAdd(optionValue, static v => new SymbolNameMatcher(AgentSafetyOptions.SplitList(v)));

    /// <summary>The types an option names by metadata name; <paramref name="defaults"/> when the option is not set.</summary>
    public ImmutableArray<INamedTypeSymbol> Types(string? optionValue, string defaults)
        => _types.GetOrAdd(optionValue ?? defaults, v => KnownTypes.Resolve(_compilation, AgentSafetyOptions.SplitList(v)));
}
