using System.ComponentModel.DataAnnotations;

namespace Dio.Grains.Workers;

/// <summary>How worker grains watch their workers. Section "Workers"; environment variables Workers__*.</summary>
public sealed class WorkerGrainOptions
{
    public const string SectionName = "Workers";

    /// <summary>How often each worker's telemetry is polled (its sidecar's /dio/telemetry, or vLLM's /metrics). Default: 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Learned state is written to grain storage at most this often (and always on deactivation). Default: 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PersistInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Consecutive failed polls that make a worker unhealthy. Default: 3.</summary>
    [Range(1, 100)]
    public int FailedPollsToUnhealthy { get; set; } = 3;

    /// <summary>Transport failures on real traffic that make a worker unhealthy. Default: 2 (1 together with a failed poll).</summary>
    [Range(1, 100)]
    public int TransportFailuresToUnhealthy { get; set; } = 2;
}
