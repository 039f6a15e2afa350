using System.Collections.Concurrent;
using Dio.Grains;
using Dio.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace Dio.Silo.Health;

/// <summary>
/// Judges worker health from two kinds of evidence: the silo's own telemetry polls and failures the frontends see
/// on real traffic. Unhealthy after <see cref="SiloOptions.FailedPollsToUnhealthy"/> failed polls in a row, after
/// <see cref="SiloOptions.TransportFailuresToUnhealthy"/> transport failures, or after one of each (two independent
/// witnesses); healthy again at the first successful poll whose reading was taken after the last transport failure
/// (an older reading is no evidence against it).
/// </summary>
public sealed class WorkerHealthMonitor(IGrainDirectory grains, IOptions<SiloOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Counts> _counts = new(StringComparer.Ordinal);

    /// <param name="workerId">The worker polled.</param>
    /// <param name="readingTakenAt">When the reading was taken; null when the poll failed.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public ValueTask OnPollAsync(string workerId, DateTimeOffset? readingTakenAt, CancellationToken cancellationToken = default)
    {
        var counts = _counts.GetOrAdd(workerId, _ => new Counts());
        if (readingTakenAt is { } takenAt)
        {
            if (takenAt < counts.LastTransportFailure)
            {
                return ValueTask.CompletedTask;   // read before the failure we saw: it says nothing about now
            }

            counts.Reset();
            return grains.GetWorker(workerId).SetHealthAsync(true, cancellationToken);
        }

        Interlocked.Increment(ref counts.FailedPolls);
        return EvaluateAsync(workerId, counts, cancellationToken);
    }

    public ValueTask OnTransportFailureAsync(string workerId, CancellationToken cancellationToken = default)
    {
        var counts = _counts.GetOrAdd(workerId, _ => new Counts());
        counts.LastTransportFailure = time.GetUtcNow();
        Interlocked.Increment(ref counts.TransportFailures);
        return EvaluateAsync(workerId, counts, cancellationToken);
    }

    private ValueTask EvaluateAsync(string workerId, Counts counts, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var polls = Volatile.Read(ref counts.FailedPolls);
        var transport = Volatile.Read(ref counts.TransportFailures);
        var unhealthy = polls >= settings.FailedPollsToUnhealthy || transport >= settings.TransportFailuresToUnhealthy
            || (polls >= 1 && transport >= 1);
        return unhealthy ? grains.GetWorker(workerId).SetHealthAsync(false, cancellationToken) : ValueTask.CompletedTask;
    }

    private sealed class Counts
    {
        public int FailedPolls;
        public int TransportFailures;

        public DateTimeOffset LastTransportFailure { get; set; } = DateTimeOffset.MinValue;

        public void Reset()
        {
            Volatile.Write(ref FailedPolls, 0);
            Volatile.Write(ref TransportFailures, 0);
        }
    }
}
