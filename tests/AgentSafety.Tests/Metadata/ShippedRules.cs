using System.Reflection;
using System.Text.RegularExpressions;
using AgentSafety.Analyzers;
using AgentSafety.Analyzers.AgentModel;
using AgentSafety.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentSafety.Tests.Metadata;

/// <summary>
/// What the shipped assemblies say about every rule, found by reflection so a new rule is picked up without
/// touching any test: its descriptor, analyzer, fix equivalence keys and option keys.
/// </summary>
internal static class ShippedRules
{
    private static readonly Lazy<IReadOnlyList<Type>> AnalyzerTypeList = new(() => typeof(RuleIds).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToList());

    private static readonly Lazy<IReadOnlyList<DiagnosticDescriptor>> DescriptorList = new(() => AnalyzerTypes
        .SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)
        .GroupBy(d => d.Id)
        .Select(g => g.First())
        .OrderBy(d => d.Id, StringComparer.Ordinal)
        .ToList());

    private static readonly Lazy<IReadOnlyList<CodeFixProvider>> FixProviderList = new(() => typeof(AgentSafetyCodeFixProvider).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
        .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
        .ToList());

    public static IReadOnlyList<Type> AnalyzerTypes => AnalyzerTypeList.Value;

    /// <summary>Every descriptor an analyzer supports, once per id, ordered by id.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> Descriptors => DescriptorList.Value;

    public static DiagnosticDescriptor Descriptor(string id) => Descriptors.Single(d => d.Id == id);

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in Descriptors)
        {
            data.Add(descriptor.Id);
        }

        return data;
    }

    public static IEnumerable<Type> AnalyzersOf(string id)
        => AnalyzerTypes.Where(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics.Any(d => d.Id == id));

    /// <summary>
    /// The severity as the release-tracking files write it: <c>Disabled</c> for a rule that is off by default,
    /// otherwise its default severity. README and rule pages use the same word.
    /// </summary>
    public static string ShippedSeverity(DiagnosticDescriptor descriptor)
        => descriptor.IsEnabledByDefault ? descriptor.DefaultSeverity.ToString() : "Disabled";

    /// <summary>
    /// The fixes offered for <paramref name="id"/>: the <see cref="AgentSafetyCodeFixProvider.FixKind"/> static fields
    /// of the providers that fix it (every provider declares its fix kinds that way), ordered by equivalence key.
    /// </summary>
    public static IReadOnlyList<AgentSafetyCodeFixProvider.FixKind> Fixes(string id)
        => FixProviderList.Value
            .Where(p => p.FixableDiagnosticIds.Contains(id))
            .SelectMany(p => p.GetType().GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Where(f => f.FieldType == typeof(AgentSafetyCodeFixProvider.FixKind))
            .Select(f => (AgentSafetyCodeFixProvider.FixKind)f.GetValue(null)!)
            .OrderBy(k => k.EquivalenceKey, StringComparer.Ordinal)
            .ToList();

    public static bool HasFix(string id) => FixProviderList.Value.Any(p => p.FixableDiagnosticIds.Contains(id));

    /// <summary>Every <c>.editorconfig</c> key the analyzers read, by the name of its constant in <c>AgentSafetyOptions.Keys</c>.</summary>
    public static IReadOnlyDictionary<string, string> OptionKeys()
        => typeof(AgentSafetyOptions.Keys).GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!, StringComparer.Ordinal);

    /// <summary>
    /// The option keys rule <paramref name="id"/> reads: its own keys (<c>agentsafety.AGSnnn.*</c>) and every key its
    /// analyzer's file (<c>Rules/&lt;Analyzer&gt;.cs</c>) names through <c>Keys.X</c>. A shared key read only inside
    /// the knowledge layer is not seen here; it must still be documented on some rule page.
    /// </summary>
    public static IReadOnlyList<string> OptionKeysReadBy(string id)
    {
        var keys = OptionKeys();
        var owned = keys.Values.Where(k => OwnerOf(k) == id);
        var named = AnalyzersOf(id)
            .Select(AnalyzerSourcePath)
            .Where(File.Exists)
            .SelectMany(path => Regex.Matches(File.ReadAllText(path), @"\bKeys\.(\w+)").Select(m => m.Groups[1].Value))
            .Where(keys.ContainsKey)
            .Select(name => keys[name]);
        return owned.Concat(named).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToList();
    }

    /// <summary>Where a rule's analyzer lives: one file per analyzer, named after it.</summary>
    public static string AnalyzerSourcePath(Type analyzer) => RepositoryPaths.Combine("src", "AgentSafety.Analyzers", "Rules", analyzer.Name + ".cs");

    /// <summary>The rule a key belongs to (<c>agentsafety.AGSnnn.name</c>), or null for a key shared by several rules (<c>agentsafety.name</c>).</summary>
    public static string? OwnerOf(string optionKey)
    {
        var match = Regex.Match(optionKey, @"^agentsafety\.(AGS[0-9]{3})\.");
        return match.Success ? match.Groups[1].Value : null;
    }
}
