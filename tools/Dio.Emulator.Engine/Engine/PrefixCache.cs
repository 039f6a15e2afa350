namespace Dio.Emulator.Engine.Engine;

/// <summary>
/// Which prompt blocks (by hash, each standing for a fixed number of tokens) the engine still holds, least
/// recently used evicted first once over capacity. A simplification of vLLM's block pool: a hit saves the prefill
/// compute of the matched tokens; the matched blocks are still counted in the request's own allocation, so memory
/// is accounted conservatively.
/// </summary>
internal sealed class PrefixCache(int capacity)
{
    private readonly Dictionary<ulong, long> _lastUse = [];
    private long _clock;

    public int Count => _lastUse.Count;

    /// <summary>Leading hashes present, in order (a hit after a miss is useless to the engine).</summary>
    public int MatchLeading(ulong[] hashes)
    {
        var matched = 0;
        foreach (var hash in hashes)
        {
            if (!_lastUse.ContainsKey(hash))
            {
                break;
            }

            _lastUse[hash] = ++_clock;
            matched++;
        }

        return matched;
    }

    public void Insert(ulong[] hashes)
    {
        foreach (var hash in hashes)
        {
            _lastUse[hash] = ++_clock;
        }

        if (_lastUse.Count > capacity)
        {
            // Evict the oldest tenth at once: amortized O(1) per insert instead of a scan per insert.
            var keep = capacity * 9 / 10;
            foreach (var victim in _lastUse.OrderBy(e => e.Value).Take(_lastUse.Count - keep).Select(e => e.Key).ToList())
            {
                _lastUse.Remove(victim);
            }
        }
    }
}
