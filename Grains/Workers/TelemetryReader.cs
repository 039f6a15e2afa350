using System.Net;
using System.Net.Http.Json;
using Dio.Sidecar.Telemetry;

namespace Dio.Grains.Workers;

/// <summary>
/// Reads one worker's telemetry: its sidecar's <c>/dio/telemetry</c>, or vLLM's own <c>/metrics</c> for a worker
/// without a sidecar (remembered after the first 404). Expected failures are values: null, with the reason in
/// <see cref="LastFailure"/>.
/// </summary>
internal sealed class TelemetryReader(HttpClient client, TimeProvider time)
{
    public const string ClientName = "dio-telemetry";
    private bool _bareVllm;

    public string? LastFailure { get; private set; }

    public async Task<WorkerTelemetry?> ReadAsync(string endpoint, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(deadline, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return _bareVllm ? await ReadVllmAsync(endpoint, linked.Token) : await ReadSidecarAsync(endpoint, linked.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException
            && !cancellationToken.IsCancellationRequested)
        {
            LastFailure = e.Message;
            return null;
        }
    }

    private async Task<WorkerTelemetry?> ReadSidecarAsync(string endpoint, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(new Uri(new Uri(endpoint), "/dio/telemetry"), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            _bareVllm = true;   // a vLLM without a sidecar: read its /metrics from now on
            return await ReadVllmAsync(endpoint, cancellationToken);
        }

        if (!response.IsSuccessStatusCode)
        {
            LastFailure = $"HTTP {(int)response.StatusCode}";
            return null;
        }

        var reading = await response.Content.ReadFromJsonAsync<SidecarTelemetry>(cancellationToken);
        return reading is null ? null : new WorkerTelemetry(reading.KvUsage, reading.Running, reading.Waiting, reading.PreemptionsTotal,
            reading.GenerationTokensPerSecond, reading.TakenAt);
    }

    private async Task<WorkerTelemetry?> ReadVllmAsync(string endpoint, CancellationToken cancellationToken)
    {
        var text = await client.GetStringAsync(new Uri(new Uri(endpoint), "/metrics"), cancellationToken);
        if (VllmMetrics.Parse(text) is not { } m)
        {
            LastFailure = "no vLLM metrics in /metrics";
            return null;
        }

        return new WorkerTelemetry(m.KvUsage, m.Running, m.Waiting, m.PreemptionsTotal, 0, time.GetUtcNow());
    }
}
