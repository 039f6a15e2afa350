using System.Net;
using System.Net.Http.Json;
using Dio.Grains;
using Dio.Silo.Health;
using Dio.Silo.Hosting;
using Dio.Sidecar.Telemetry;
using Microsoft.Extensions.Options;

namespace Dio.Silo.Telemetry;

/// <summary>
/// Every poll interval (1 s), reads each registered worker's telemetry: the sidecar's <c>/dio/telemetry</c>, or
/// vLLM's own <c>/metrics</c> for a worker without a sidecar (remembered after the first 404). Each result feeds the
/// worker grain and the health monitor. Workers are polled in parallel, each with a deadline shorter than the period.
/// </summary>
internal sealed partial class TelemetryPoller(IGrainDirectory grains, IHttpClientFactory clients, WorkerHealthMonitor health,
    IOptions<SiloOptions> options, TimeProvider time, ILogger<TelemetryPoller> logger) : BackgroundService
{
    public const string ClientName = "telemetry";
    private readonly HashSet<string> _bareVllm = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await PollAllAsync(stoppingToken);
        }
    }

    internal async Task PollAllAsync(CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(ClientName);
        var polls = new List<Task>();
        foreach (var workerId in grains.WorkerIds)
        {
            if (await grains.GetWorker(workerId).GetSnapshotAsync(cancellationToken) is { } snapshot)
            {
                polls.Add(PollAsync(client, snapshot.Registration, cancellationToken));
            }
        }

        await Task.WhenAll(polls);
    }

    private async Task PollAsync(HttpClient client, WorkerRegistration worker, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.PollInterval * 0.8);
        WorkerTelemetry? telemetry = null;
        try
        {
            telemetry = IsBare(worker.WorkerId) ? await ReadVllmAsync(client, worker, deadline.Token) : await ReadSidecarAsync(client, worker, deadline.Token);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            LogPollFailed(logger, worker.WorkerId, e.Message);
        }

        if (telemetry is not null)
        {
            await grains.GetWorker(worker.WorkerId).ReportTelemetryAsync(telemetry, cancellationToken);
        }

        await health.OnPollAsync(worker.WorkerId, telemetry?.TakenAt, cancellationToken);
    }

    private async Task<WorkerTelemetry?> ReadSidecarAsync(HttpClient client, WorkerRegistration worker, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(new Uri(new Uri(worker.Endpoint), "/dio/telemetry"), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            lock (_bareVllm)
            {
                _bareVllm.Add(worker.WorkerId);   // a vLLM without a sidecar: read its /metrics from now on
            }

            return await ReadVllmAsync(client, worker, cancellationToken);
        }

        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var reading = await response.Content.ReadFromJsonAsync<SidecarTelemetry>(cancellationToken);
        return reading is null ? null : new WorkerTelemetry(reading.KvUsage, reading.Running, reading.Waiting, reading.PreemptionsTotal,
            reading.GenerationTokensPerSecond, reading.TakenAt);
    }

    private async Task<WorkerTelemetry?> ReadVllmAsync(HttpClient client, WorkerRegistration worker, CancellationToken cancellationToken)
    {
        var text = await client.GetStringAsync(new Uri(new Uri(worker.Endpoint), "/metrics"), cancellationToken);
        return VllmMetrics.Parse(text) is { } m
            ? new WorkerTelemetry(m.KvUsage, m.Running, m.Waiting, m.PreemptionsTotal, 0, time.GetUtcNow())
            : null;
    }

    private bool IsBare(string workerId)
    {
        lock (_bareVllm)
        {
            return _bareVllm.Contains(workerId);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telemetry poll of {WorkerId} failed: {Reason}")]
    private static partial void LogPollFailed(ILogger logger, string workerId, string reason);
}
