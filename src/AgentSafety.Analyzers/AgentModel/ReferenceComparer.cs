using System.Runtime.CompilerServices;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>Equality by reference: for caches keyed by objects the driver hands over again and again (symbols of one compilation).</summary>
internal sealed class ReferenceComparer<T> : IEqualityComparer<T>
    where T : class
{
    public static readonly ReferenceComparer<T> Instance = new();

    public bool Equals(T? x, T? y) => ReferenceEquals(x, y);

    public int GetHashCode(T obj) => RuntimeHelpers.GetHashCode(obj);
}
