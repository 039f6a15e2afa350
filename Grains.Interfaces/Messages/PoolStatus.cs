namespace Dio.Grains;

/// <summary>A router grain's own counts, for the control API, metrics and tests.</summary>
/// <param name="Model">The pool's model.</param>
/// <param name="Policy">Its routing policy.</param>
/// <param name="Workers">Members, healthy or not.</param>
/// <param name="OpenLeases">Leases not yet closed or expired.</param>
/// <param name="QueuedRequests">Requests in the bounded wait queue.</param>
/// <param name="ExpiredLeases">Leases reaped since activation because nobody renewed or closed them.</param>
/// <param name="ReclaimedLeases">Leases given back early because the worker's readings no longer showed them.</param>
/// <param name="Leases">Per worker: open leases and the KV blocks they hold that no reading covers yet.</param>
[GenerateSerializer, Immutable, Alias("dio.pool-status")]
public sealed record PoolStatus(
    [property: Id(0)] string Model,
    [property: Id(1)] string Policy,
    [property: Id(2)] int Workers,
    [property: Id(3)] int OpenLeases,
    [property: Id(4)] int QueuedRequests,
    [property: Id(5)] long ExpiredLeases,
    [property: Id(6)] IReadOnlyDictionary<string, WorkerLeases> Leases,
    [property: Id(7)] long ReclaimedLeases = 0);

/// <summary>One worker's leases as its router grain counts them.</summary>
[GenerateSerializer, Immutable, Alias("dio.worker-leases")]
public readonly record struct WorkerLeases([property: Id(0)] int InFlight, [property: Id(1)] int ReservedBlocks);
