namespace AgentSafety.Analyzers.AgentModel;

/// <summary>Fixed sets of names, asked on hot paths: a hash set answers faster than an immutable (tree-backed) set.</summary>
internal static class NameSet
{
    public static HashSet<string> Of(params string[] names) => new(names, StringComparer.Ordinal);
}
