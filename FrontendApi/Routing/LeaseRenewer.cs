using System.Collections.Concurrent;
using Dio.Grains;
using Dio.Grains.Scheduling;
using Microsoft.Extensions.Options;

namespace Dio.FrontendApi.Routing;

/// <summary>
/// Keeps the leases of the requests this frontend is serving alive: every third of a lease period, one one-way
/// renewal per model pool with every open lease id. A frontend that crashes stops renewing, and its leases expire
/// within one period; a long stream that is alive keeps its room.
/// </summary>
internal sealed partial class LeaseRenewer(IGrainFactory grains, IOptions<SchedulerOptions> scheduler, TimeProvider time,
    ILogger<LeaseRenewer> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, string> _open = new();

    /// <summary>Leases this frontend holds now.</summary>
    public int Open => _open.Count;

    public void Track(string model, Guid leaseId) => _open[leaseId] = model;

    public void Untrack(Guid leaseId) => _open.TryRemove(leaseId, out _);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(scheduler.Value.LeasePeriod / 3, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var pool in _open.GroupBy(p => p.Value, p => p.Key, StringComparer.Ordinal))
            {
                try
                {
                    await grains.GetGrain<IRouterGrain>(pool.Key).RenewAsync([.. pool]);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRenewFailed(logger, pool.Key, e.Message);   // the control plane is unreachable: try again next tick
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the leases of pool {Model}: {Reason}")]
    private static partial void LogRenewFailed(ILogger logger, string model, string reason);
}
