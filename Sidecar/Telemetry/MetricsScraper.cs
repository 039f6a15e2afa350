using Dio.Sidecar.Hosting;
using Microsoft.Extensions.Options;

namespace Dio.Sidecar.Telemetry;

/// <summary>Reads vLLM's /metrics every <see cref="SidecarOptions.ScrapeInterval"/> (1 s) and publishes the reading.</summary>
internal sealed partial class MetricsScraper(IHttpClientFactory clients, IOptions<SidecarOptions> options, TelemetryState state,
    TimeProvider time, ILogger<MetricsScraper> logger) : BackgroundService
{
    public const string ClientName = "upstream-metrics";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var client = clients.CreateClient(ClientName);
        var metricsUrl = new Uri(options.Value.Upstream!, "/metrics");
        using var timer = new PeriodicTimer(options.Value.ScrapeInterval, time);
        do
        {
            await ScrapeOnceAsync(client, metricsUrl, stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    internal async Task ScrapeOnceAsync(HttpClient client, Uri metricsUrl, CancellationToken cancellationToken)
    {
        try
        {
            var text = await client.GetStringAsync(metricsUrl, cancellationToken);
            var now = time.GetUtcNow();
            if (VllmMetrics.Parse(text) is not { } metrics)
            {
                state.MarkFailed();
                LogNotVllm(logger, metricsUrl);
                return;
            }

            var previous = state.Latest;
            var seconds = previous is null ? 0 : (now - previous.TakenAt).TotalSeconds;
            var rate = seconds > 0 ? Math.Max(0, metrics.GenerationTokensTotal - previous!.Metrics.GenerationTokensTotal) / seconds : 0;
            state.Publish(new TelemetryState.Reading(metrics, now, rate));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            state.MarkFailed();
            LogScrapeFailed(logger, metricsUrl, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scraping {Url} failed: {Reason}")]
    private static partial void LogScrapeFailed(ILogger logger, Uri url, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Url} does not look like vLLM metrics")]
    private static partial void LogNotVllm(ILogger logger, Uri url);
}
