using System.Net.Http.Json;
using System.Text.Json;
using Dio.Grains;
using Dio.Sidecar.Telemetry;

namespace Dio.Silo.Registration;

/// <summary>
/// Workers without a sidecar (the gateway's <c>--worker URL</c> and <c>Gateway:Workers</c>): vLLM servers registered directly. Each is registered from its own answers (model and
/// max_model_len from /v1/models, KV blocks from cache_config_info in /metrics), retrying until it is up; its worker
/// grain then polls its /metrics directly. Runs in whichever process names them (a frontend, embedded or a client).
/// </summary>
internal sealed partial class StaticWorkers(IReadOnlyList<Uri> workers, IGrainFactory grains, IHttpClientFactory clients,
    TimeProvider time, ILogger<StaticWorkers> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pending = workers.ToList();
        var client = clients.CreateClient(nameof(StaticWorkers));
        while (pending.Count > 0 && !stoppingToken.IsCancellationRequested)
        {
            foreach (var url in pending.ToList())
            {
                try
                {
                    var models = await client.GetFromJsonAsync<JsonElement>(new Uri(url, "/v1/models"), stoppingToken);
                    var model = models.GetProperty("data")[0];
                    var metrics = VllmMetrics.Parse(await client.GetStringAsync(new Uri(url, "/metrics"), stoppingToken));
                    var blocks = metrics?.NumGpuBlocks ?? throw new InvalidOperationException("no cache_config_info in /metrics");
                    var id = $"{url.Host}-{url.Port}";
                    await grains.GetGrain<IWorkerGrain>(id).RegisterAsync(new WorkerRegistration(id, url.ToString().TrimEnd('/'),
                        model.GetProperty("id").GetString()!, "unknown", model.TryGetProperty("max_model_len", out var len) ? len.GetInt32() : 8192,
                        blocks, metrics.BlockSize ?? 16, 256, "small"), RegistrationSource.Configuration);
                    pending.Remove(url);
                    LogRegistered(logger, url, id);
                }
                catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException or KeyNotFoundException or TaskCanceledException
                    or OrleansException or TimeoutException
                    && !stoppingToken.IsCancellationRequested)
                {
                    LogNotYet(logger, url, e.Message);
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fronting vLLM at {Url} as worker {WorkerId}")]
    private static partial void LogRegistered(ILogger logger, Uri url, string workerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "vLLM at {Url} not ready yet: {Reason}")]
    private static partial void LogNotYet(ILogger logger, Uri url, string reason);
}
