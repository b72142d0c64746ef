using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// Methods named by users in an option: <c>Name</c> (any type), <c>Namespace.Type.Name</c>, or a documentation id
/// <c>M:Namespace.Type.Name(...)</c>. Types are matched by their full name without generic arity.
/// </summary>
internal sealed class SymbolNameMatcher
{
    public static readonly SymbolNameMatcher Empty = new(ImmutableArray<string>.Empty);

    private static readonly SymbolDisplayFormat FullTypeName = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.None);

    private readonly ImmutableHashSet<string> _simpleNames;
    private readonly ImmutableDictionary<string, ImmutableHashSet<string>> _typesByMember;

    public SymbolNameMatcher(ImmutableArray<string> entries)
    {
        var simple = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var qualified = new Dictionary<string, ImmutableHashSet<string>.Builder>(StringComparer.Ordinal);
        foreach (var raw in entries)
        {
            var entry = raw.Trim();
            if (entry.StartsWith("M:", StringComparison.Ordinal))
            {
                entry = entry.Substring(2);
            }

            var parenthesis = entry.IndexOf('(');
            if (parenthesis >= 0)
            {
                entry = entry.Substring(0, parenthesis);
            }

            var dot = entry.LastIndexOf('.');
            if (dot < 0)
            {
                if (entry.Length > 0)
                {
                    simple.Add(entry);
                }

                continue;
            }

            // A documentation id names a generic method with its arity: M:Type.Run``1(...).
            var member = entry.Substring(dot + 1);
            var arity = member.IndexOf("``", StringComparison.Ordinal);
            if (arity >= 0)
            {
                member = member.Substring(0, arity);
            }

            var type = StripArity(entry.Substring(0, dot));
            if (member.Length == 0 || type.Length == 0)
            {
                continue;
            }

            if (!qualified.TryGetValue(member, out var types))
            {
                types = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
                qualified[member] = types;
            }

            types.Add(type);
        }

        _simpleNames = simple.ToImmutable();
        _typesByMember = qualified.ToImmutableDictionary(p => p.Key, p => p.Value.ToImmutable(), StringComparer.Ordinal);
    }

    public bool IsEmpty => _simpleNames.Count == 0 && _typesByMember.Count == 0;

    public bool Matches(IMethodSymbol method)
    {
        if (IsEmpty)
        {
            return false;
        }

        if (_simpleNames.Contains(method.Name))
        {
            return true;
        }

        if (!_typesByMember.TryGetValue(method.Name, out var types))
        {
            return false;
        }

        var declaring = (method.ReducedFrom ?? method).ContainingType;
        return declaring is not null && types.Contains(declaring.ToDisplayString(FullTypeName));
    }

    private static string StripArity(string typeName)
    {
        var tick = typeName.IndexOf('`');
        return tick < 0 ? typeName : typeName.Substring(0, tick);
    }
}
