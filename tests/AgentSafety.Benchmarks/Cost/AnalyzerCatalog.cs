using System.Collections.Immutable;
using System.Reflection;
using AgentSafety.Analyzers;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentSafety.Benchmarks.Cost;

/// <summary>
/// Every analyzer AgentSafety ships, found by reflection over the analyzer assembly: a rule added later is measured
/// and fuzzed without touching this code.
/// </summary>
internal static class AnalyzerCatalog
{
    public static Assembly Assembly => typeof(RuleIds).Assembly;

    /// <summary>One fresh instance of each analyzer, ordered by the first id it reports.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> CreateAll()
        => Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .OrderBy(Ids, StringComparer.Ordinal)
            .ToImmutableArray();

    /// <summary>The analyzers of <paramref name="rules"/> (ids), or all of them when none is named.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> CreateAll(IReadOnlyCollection<string> rules)
    {
        var all = CreateAll();
        if (rules.Count == 0)
        {
            return all;
        }

        var chosen = all.Where(a => a.SupportedDiagnostics.Any(d => rules.Contains(d.Id))).ToImmutableArray();
        return chosen.Length > 0 ? chosen : throw new ArgumentException("No analyzer reports " + string.Join(", ", rules) + ".");
    }

    /// <summary>The analyzer that reports <paramref name="id"/>, or null when no shipped analyzer does (yet).</summary>
    public static DiagnosticAnalyzer? Find(string id)
        => CreateAll().FirstOrDefault(a => a.SupportedDiagnostics.Any(d => d.Id == id));

    /// <summary>The ids an analyzer reports, as one label: <c>AGS001</c>, or <c>AGS004/AGS005</c>.</summary>
    public static string Ids(DiagnosticAnalyzer analyzer)
        => string.Join("/", analyzer.SupportedDiagnostics.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal));
}
