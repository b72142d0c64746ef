using System.Collections;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// A sequence computed on demand and kept: each element is taken from the source the first time an enumeration
/// reaches it, and later enumerations (on any thread) read what was taken. A question that stops at its first
/// answer costs no more than the elements it read.
/// </summary>
internal sealed class LazyList<T> : IEnumerable<T>
{
    private readonly object _gate = new();
    private readonly List<T> _items = new();
    private IEnumerator<T>? _source;

    public LazyList(IEnumerable<T> source) => _source = source.GetEnumerator();

    public IEnumerator<T> GetEnumerator()
    {
        for (var index = 0; TryGet(index, out var item); index++)
        {
            yield return item;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private bool TryGet(int index, out T item)
    {
        lock (_gate)
        {
            while (index >= _items.Count)
            {
                if (_source is null)
                {
                    item = default!;
                    return false;
                }

                if (_source.MoveNext())
                {
                    _items.Add(_source.Current);
                }
                else
                {
                    _source.Dispose();
                    _source = null;
                }
            }

            item = _items[index];
            return true;
        }
    }
}
