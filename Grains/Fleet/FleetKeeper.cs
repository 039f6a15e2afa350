using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dio.Grains.Fleet;

/// <summary>
/// Runs in every silo: every <see cref="Period"/> (the first one after start, when the silo has joined), asks the fleet registry to wake every worker
/// grain. A cold cluster thereby re-activates the whole fleet (and each worker's telemetry timer) from storage,
/// and the grains of a silo that died come back on the survivors within one period, without waiting for traffic.
/// </summary>
internal sealed partial class FleetKeeper(IGrainFactory grains, TimeProvider time, ILogger<FleetKeeper> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await grains.GetGrain<IFleetRegistryGrain>(IFleetRegistryGrain.Key).WakeAllAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A silo joining or leaving, or storage down: the next period tries again.
                LogWakeFailed(logger, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not wake the fleet; retrying next period: {Reason}")]
    private static partial void LogWakeFailed(ILogger logger, string reason);
}
