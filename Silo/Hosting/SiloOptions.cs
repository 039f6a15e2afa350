using System.ComponentModel.DataAnnotations;

namespace Dio.Silo.Hosting;

/// <summary>Section "Silo"; environment variables Silo__*.</summary>
public sealed class SiloOptions
{
    public const string SectionName = "Silo";

    /// <summary>Frontends only: base URL of a remote silo (remote mode); unset runs the silo inside the frontend.</summary>
    public Uri? Url { get; set; }

    /// <summary>Key for the control API (header X-Dio-Admin-Key). Without one the control API answers 401 to everyone.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Shared token sidecars present when registering and heartbeating (header X-Dio-Sidecar-Token).</summary>
    public string? SidecarToken { get; set; }

    /// <summary>How often each worker's telemetry is polled. Default: 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Where worker state persists: "memory" (default: nothing survives a restart) or "redis".</summary>
    [RegularExpression("^(memory|redis)$")]
    public string Storage { get; set; } = "memory";

    /// <summary>Redis connection string, e.g. <c>localhost:6379</c> or <c>name.redis.cache.windows.net:6380,password=…,ssl=true</c>.</summary>
    public string? Redis { get; set; }

    /// <summary>How often changed worker state is written to storage. Default: 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PersistInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Consecutive failed polls that make a worker unhealthy. Default: 3.</summary>
    [Range(1, 100)]
    public int FailedPollsToUnhealthy { get; set; } = 3;

    /// <summary>Transport failures on real traffic that make a worker unhealthy. Default: 2 (1 together with a failed poll).</summary>
    [Range(1, 100)]
    public int TransportFailuresToUnhealthy { get; set; } = 2;
}
