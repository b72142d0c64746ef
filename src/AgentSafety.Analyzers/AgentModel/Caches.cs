using System.Collections.Concurrent;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// The model's concurrent caches. Rules on several threads add to them while the compiler runs beside: adding takes
/// a lock (one per stripe of the table, all of them while the table grows: a stripe's share of the buckets is its
/// budget), and a thread that waits on a lock whose holder was descheduled waits for a time slice. A table sized up
/// front for a project's types and files, with a few stripes, keeps adds from meeting and the table from growing.
/// </summary>
internal static class Caches
{
    private const int Stripes = 4;
    private const int Capacity = 4096;

    public static ConcurrentDictionary<TKey, TValue> Create<TKey, TValue>(IEqualityComparer<TKey> comparer)
        where TKey : notnull
        => new(Stripes, Capacity, comparer);

    public static ConcurrentDictionary<TKey, TValue> Create<TKey, TValue>()
        where TKey : notnull
        => new(Stripes, Capacity, EqualityComparer<TKey>.Default);
}
