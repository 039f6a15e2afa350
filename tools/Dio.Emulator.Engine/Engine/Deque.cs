namespace Dio.Emulator.Engine.Engine;

/// <summary>A growable ring buffer: O(1) at both ends. The waiting queue pops its head and preemption pushes
/// back onto it, which a List would make O(n) under overload, exactly when the queue is long.</summary>
internal sealed class Deque<T>
{
    private T[] _items = new T[16];
    private int _head;

    public int Count { get; private set; }

    public T this[int index] => _items[(_head + index) % _items.Length];

    public T PeekFront() => _items[_head];

    public void PushBack(T item)
    {
        Grow();
        _items[(_head + Count) % _items.Length] = item;
        Count++;
    }

    public void PushFront(T item)
    {
        Grow();
        _head = (_head - 1 + _items.Length) % _items.Length;
        _items[_head] = item;
        Count++;
    }

    public T PopFront()
    {
        var item = _items[_head];
        _items[_head] = default!;
        _head = (_head + 1) % _items.Length;
        Count--;
        return item;
    }

    /// <summary>Removes the first item matching; O(n), for aborts only.</summary>
    public bool Remove(Func<T, bool> match)
    {
        for (var i = 0; i < Count; i++)
        {
            if (match(this[i]))
            {
                for (var j = i; j < Count - 1; j++)
                {
                    _items[(_head + j) % _items.Length] = this[j + 1];
                }

                Count--;
                _items[(_head + Count) % _items.Length] = default!;
                return true;
            }
        }

        return false;
    }

    private void Grow()
    {
        if (Count < _items.Length)
        {
            return;
        }

        var larger = new T[_items.Length * 2];
        for (var i = 0; i < Count; i++)
        {
            larger[i] = this[i];
        }

        _items = larger;
        _head = 0;
    }
}
