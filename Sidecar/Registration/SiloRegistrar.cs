using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dio.Sidecar.Hosting;
using Dio.Sidecar.Telemetry;
using Microsoft.Extensions.Options;

namespace Dio.Sidecar.Registration;

/// <summary>
/// Registers this worker with the silo once vLLM answers (model and max_model_len from /v1/models, KV blocks and
/// block size from cache_config_info, GPU from nvidia-smi or configuration), then heartbeats; a 404 heartbeat
/// (the silo lost us, e.g. restarted without Redis) registers again.
/// </summary>
internal sealed partial class SiloRegistrar(IHttpClientFactory clients, IOptions<SidecarOptions> options, TelemetryState telemetry,
    TimeProvider time, ILogger<SiloRegistrar> logger) : BackgroundService
{
    public const string ClientName = "silo";
    public const string TokenHeader = "X-Dio-Sidecar-Token";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.SiloUrl is null || settings.PublicUrl is null)
        {
            return;
        }

        var silo = clients.CreateClient(ClientName);
        var upstream = clients.CreateClient(MetricsScraper.ClientName);
        var workerId = settings.WorkerId ?? $"{settings.PublicUrl.Host}-{settings.PublicUrl.Port}";
        var gpu = GpuDetector.Detect(settings.GpuName);
        var registered = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                registered = registered
                    ? await HeartbeatAsync(silo, settings, workerId, stoppingToken)
                    : await RegisterAsync(silo, upstream, settings, workerId, gpu, stoppingToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException
                && !stoppingToken.IsCancellationRequested)
            {
                registered = false;
                LogSiloUnreachable(logger, settings.SiloUrl, e.Message);
            }

            // Until registered, try again at the scrape pace; then heartbeat at its own.
            await Task.Delay(registered ? settings.HeartbeatInterval : settings.ScrapeInterval, time, stoppingToken);
        }
    }

    private async Task<bool> RegisterAsync(HttpClient silo, HttpClient upstream, SidecarOptions settings, string workerId, string gpu,
        CancellationToken cancellationToken)
    {
        if (telemetry.Latest?.Metrics is not { NumGpuBlocks: { } blocks } metrics)
        {
            return false;   // not before vLLM has told us its KV capacity
        }

        var models = await upstream.GetFromJsonAsync<JsonElement>(new Uri(settings.Upstream!, "/v1/models"), cancellationToken);
        var model = models.GetProperty("data")[0];
        var registration = new
        {
            workerId,
            endpoint = settings.PublicUrl!.ToString().TrimEnd('/'),
            model = model.GetProperty("id").GetString(),
            gpuProfile = gpu,
            maxModelLen = model.TryGetProperty("max_model_len", out var len) ? len.GetInt32() : 8192,
            numGpuBlocks = blocks,
            blockSize = metrics.BlockSize ?? 16,
            maxNumSeqs = settings.MaxNumSeqs,
            tier = settings.Tier,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.SiloUrl!, "/control/workers")) { Content = JsonContent.Create(registration) };
        request.Headers.Add(TokenHeader, settings.Token);
        using var response = await silo.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        LogRegistered(logger, workerId, settings.SiloUrl!);
        return true;
    }

    private static async Task<bool> HeartbeatAsync(HttpClient silo, SidecarOptions settings, string workerId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.SiloUrl!, $"/control/workers/{Uri.EscapeDataString(workerId)}/heartbeat"));
        request.Headers.Add(TokenHeader, settings.Token);
        using var response = await silo.SendAsync(request, cancellationToken);
        return response.StatusCode != HttpStatusCode.NotFound;   // forgotten: register again on the next tick
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered {WorkerId} with the silo at {Silo}")]
    private static partial void LogRegistered(ILogger logger, string workerId, Uri silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} unreachable: {Reason}")]
    private static partial void LogSiloUnreachable(ILogger logger, Uri silo, string reason);
}
