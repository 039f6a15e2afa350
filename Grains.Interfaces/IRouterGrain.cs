using Orleans.Concurrency;

namespace Dio.Grains;

/// <summary>
/// One model pool (key: model name): decides where each request goes from the views its workers publish, and is
/// the only writer of the pool's KV leases. A frontend makes exactly one blocking call per request
/// (<see cref="RouteAsync"/>); everything after it is one-way.
/// </summary>
public interface IRouterGrain : IGrainWithStringKey
{
    /// <summary>
    /// Decides: Routed (with a lease), Shed or Reject. When no worker has room but one should soon, the call waits
    /// in the bounded queue (at most the request's TTFT objective) and then answers; it never returns Wait.
    /// Cancelling the call withdraws the request, and releases its lease if it was routed in the same instant.
    /// </summary>
    ValueTask<RouteOutcome> RouteAsync(RouteRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// The first byte of a routed request arrived: its prompt is no longer pending prefill; renews the lease. With the
    /// measured TTFT of a stream (<paramref name="ttftMs"/> &gt; 0) the worker learns it now rather than at completion.
    /// </summary>
    [OneWay]
    Task StartedAsync(Guid leaseId, double ttftMs = 0);

    /// <summary>The frontend is still streaming these requests: their leases live another period.</summary>
    [OneWay]
    Task RenewAsync(Guid[] leaseIds);

    /// <summary>Closes a lease with what the frontend measured; the router learns output lengths and tells the worker.</summary>
    [OneWay]
    Task CompleteAsync(CompletionReport report);

    /// <summary>Closes many leases at once: a frontend under load sends its completions in batches, one message each.</summary>
    [OneWay]
    Task CompleteManyAsync(CompletionReport[] reports);

    /// <summary>A worker grain's published view (kept only if newer).</summary>
    [OneWay]
    Task UpdateWorkerAsync(WorkerView view);

    /// <summary>A worker left the pool (deregistered, or re-registered for another model).</summary>
    [OneWay]
    Task RemoveWorkerAsync(string workerId);

    /// <summary>The pool's counts.</summary>
    Task<PoolStatus> GetStatusAsync();
}
