namespace Dio.Grains.Routing;

/// <summary>
/// Approximate prefix-cache index of one pool: which workers were sent each prefix block (by hash of the block and
/// everything before it, as vLLM's prefix cache keys blocks). A direct-mapped table with four worker slots per
/// entry: fixed memory, no allocation, O(blocks) per request; a collision or eviction only loses cache credit,
/// like the TTL-based approximate indexes of SGLang and Dynamo.
/// </summary>
internal sealed class PrefixIndex
{
    private const int Ways = 4;
    private readonly ulong[] _keys;
    private readonly int[] _slots;
    private readonly byte[] _nextWay;
    private readonly int _mask;

    public PrefixIndex(int entries)
    {
        if (entries <= 0 || (entries & (entries - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(entries), entries, "Must be a positive power of two.");
        }

        _keys = new ulong[entries];
        _slots = new int[entries * Ways];
        _nextWay = new byte[entries];
        _mask = entries - 1;
        Array.Fill(_slots, -1);
    }

    /// <summary>Remembers that <paramref name="slot"/> now holds these blocks.</summary>
    public void Record(ReadOnlySpan<ulong> blocks, int slot)
    {
        foreach (var key in blocks)
        {
            var entry = EntryOf(key);
            var ways = _slots.AsSpan(entry * Ways, Ways);
            if (_keys[entry] != key)
            {
                _keys[entry] = key;
                ways.Fill(-1);
                _nextWay[entry] = 0;
            }

            if (ways.IndexOf(slot) < 0)
            {
                ways[_nextWay[entry]] = slot;
                _nextWay[entry] = (byte)((_nextWay[entry] + 1) % Ways);
            }
        }
    }

    /// <summary>
    /// Counts, per worker slot, how many leading blocks of the request it holds. Only a contiguous prefix counts:
    /// a cached block after a miss is useless to vLLM.
    /// </summary>
    public void Match(ReadOnlySpan<ulong> blocks, Span<int> matchedBySlot)
    {
        matchedBySlot.Clear();
        for (var i = 0; i < blocks.Length; i++)
        {
            var key = blocks[i];
            var entry = EntryOf(key);
            if (_keys[entry] != key)
            {
                return;
            }

            var advanced = false;
            foreach (var slot in _slots.AsSpan(entry * Ways, Ways))
            {
                if ((uint)slot < (uint)matchedBySlot.Length && matchedBySlot[slot] == i)
                {
                    matchedBySlot[slot] = i + 1;
                    advanced = true;
                }
            }

            if (!advanced)
            {
                return;
            }
        }
    }

    private int EntryOf(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> 32) & _mask;   // Fibonacci hashing
}
