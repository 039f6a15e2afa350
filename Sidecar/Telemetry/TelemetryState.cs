namespace Dio.Sidecar.Telemetry;

/// <summary>The latest reading of vLLM, swapped wholesale by the scraper and read lock-free by everything else.</summary>
public sealed class TelemetryState
{
    private volatile Reading? _latest;

    public Reading? Latest => _latest;

    /// <summary>True while the last scrape succeeded.</summary>
    public bool UpstreamHealthy { get; private set; }

    public void Publish(Reading reading)
    {
        _latest = reading;
        UpstreamHealthy = true;
    }

    public void MarkFailed() => UpstreamHealthy = false;

    /// <summary>One scrape: the metrics plus when they were taken and the generation rate since the previous one.</summary>
    public sealed record Reading(VllmMetrics Metrics, DateTimeOffset TakenAt, double GenerationTokensPerSecond);
}
