namespace Dio.Grains;

/// <summary>One model pool: decides where each request goes, from published worker snapshots.</summary>
public interface IRouterGrain
{
    /// <summary>The model this pool serves.</summary>
    string Model { get; }

    /// <summary>Name of the routing policy in use.</summary>
    string PolicyName { get; }

    /// <summary>
    /// Decides at once: Routed (with a reservation), Wait, Shed or Reject. Synchronous and allocation-free: the
    /// hot path of every request. Never calls more than the chosen worker grain.
    /// </summary>
    RouteOutcome TryRoute(in RouteRequest request);

    /// <summary>
    /// Decides, and when the verdict is Wait holds the request in the bounded queue until a completion or reading
    /// frees room or its deadline passes; the result is then Routed, Shed or Reject, never Wait.
    /// </summary>
    ValueTask<RouteOutcome> RouteAsync(RouteRequest request, CancellationToken cancellationToken = default);

    /// <summary>Closes a reservation made by this router and wakes waiting requests.</summary>
    ValueTask CompleteAsync(CompletionReport report, CancellationToken cancellationToken = default);

    /// <summary>Snapshots of the pool's workers.</summary>
    ValueTask<IReadOnlyList<WorkerSnapshot>> GetWorkersAsync(CancellationToken cancellationToken = default);
}
