using System.Collections.Concurrent;

namespace Dio.Grains;

/// <summary>
/// Grain references by key, made once. <see cref="IGrainFactory.GetGrain{TGrainInterface}(string, string?)"/>
/// resolves the interface's grain type through its custom attributes on every call, which showed in the request
/// path's CPU profile (three calls per request: route, started, complete); a reference is immutable and can be kept.
/// Keys are models and worker ids the fleet registered, never a client's string, so the map stays small; it is
/// cleared if it ever passes <see cref="MaxEntries"/>.
/// </summary>
public sealed class GrainReferences<TGrain>(IGrainFactory grains)
    where TGrain : IGrainWithStringKey
{
    public const int MaxEntries = 65_536;

    private readonly ConcurrentDictionary<string, TGrain> _byKey = new(StringComparer.Ordinal);

    public TGrain this[string key] => _byKey.TryGetValue(key, out var grain) ? grain : Add(key);

    private TGrain Add(string key)
    {
        if (_byKey.Count >= MaxEntries)
        {
            _byKey.Clear();
        }

        return _byKey.GetOrAdd(key, static (k, factory) => factory.GetGrain<TGrain>(k), grains);
    }
}
