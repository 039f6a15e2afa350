using Dio.Grains;
using Dio.Silo.Health;

namespace Dio.Silo.Control;

/// <summary>
/// Closing a routed request, wherever the report comes from (a frontend embedding the silo, or the control API):
/// the worker grain learns and releases the reservation (and tells its router itself), and a transport failure
/// counts against the worker's health.
/// </summary>
internal static class Completions
{
    public static async ValueTask RecordAsync(IGrainDirectory grains, WorkerHealthMonitor health, CompletionReport report,
        CancellationToken cancellationToken)
    {
        await grains.GetWorker(report.WorkerId).CompleteAsync(report, cancellationToken);
        if (report.Kind is CompletionKind.FailedBeforeFirstByte or CompletionKind.FailedMidStream)
        {
            await health.OnTransportFailureAsync(report.WorkerId, cancellationToken);
        }
    }
}
