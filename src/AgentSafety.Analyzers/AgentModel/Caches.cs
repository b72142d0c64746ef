using System.Collections.Concurrent;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// The model's concurrent caches. Rules on several threads add to them while the compiler runs beside: adding takes
/// a lock (one per stripe of the table, all of them while the table grows), and a thread that waits on a lock whose
/// holder was descheduled waits for a time slice. Many stripes and a table sized for a project's types and files up
/// front keep adds from meeting.
/// </summary>
internal static class Caches
{
    private const int Stripes = 64;
    private const int Capacity = 1024;

    public static ConcurrentDictionary<TKey, TValue> Create<TKey, TValue>(IEqualityComparer<TKey> comparer)
        where TKey : notnull
        => new(Stripes, Capacity, comparer);

    public static ConcurrentDictionary<TKey, TValue> Create<TKey, TValue>()
        where TKey : notnull
        => new(Stripes, Capacity, EqualityComparer<TKey>.Default);
}
