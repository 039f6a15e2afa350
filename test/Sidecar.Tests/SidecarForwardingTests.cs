using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dio.Emulator.Hosting;
using Dio.Sidecar.Hosting;
using Dio.Sidecar.Telemetry;
using Microsoft.AspNetCore.Builder;

namespace Dio.Sidecar.Tests;

/// <summary>A real Sidecar in front of the vLLM emulator, over loopback.</summary>
public sealed class SidecarForwardingTests : IAsyncLifetime, IDisposable
{
    private const string Model = "meta-llama/Meta-Llama-3-8B-Instruct";
    private readonly HttpClient _http = new();
    private WebApplication? _vllm;
    private WebApplication? _sidecar;
    private Uri _sidecarUrl = null!;

    public async Task InitializeAsync()
    {
        var options = new EmulatorOptions { Fleet = "L4", Port = 0, TimeScale = 20 };
        _vllm = EmulatorHost.Build(options);
        await _vllm.StartAsync();
        var upstream = EmulatorHost.Urls(_vllm, options)[0];
        _sidecarUrl = new Uri($"http://127.0.0.1:{EmulatorHost.FreePorts(1)[0]}");
        _sidecar = SidecarHost.Build([], o =>
        {
            o.Upstream = upstream;
            o.ScrapeInterval = TimeSpan.FromMilliseconds(100);
        }, [_sidecarUrl.ToString()], quiet: true);
        await _sidecar.StartAsync();
        await WaitForTelemetryAsync();
    }

    [Fact]
    public async Task Forward_AnswerUnchanged_WithTelemetryHeaders()
    {
        using var response = await _http.PostAsJsonAsync(new Uri(_sidecarUrl, "/v1/completions"), new { model = Model, prompt = "hi", max_tokens = 3 });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal("2405", response.Headers.GetValues(TelemetryHeaders.GpuBlocks).Single());   // an L4's KV blocks
        Assert.Equal("16", response.Headers.GetValues(TelemetryHeaders.BlockSize).Single());
        Assert.True(response.Headers.Contains(TelemetryHeaders.KvUsage));
        Assert.True(response.Headers.Contains(TelemetryHeaders.TakenAt));
    }

    [Fact]
    public async Task Forward_VllmErrors_PassThroughAsTheyAre()
    {
        using var response = await _http.PostAsJsonAsync(new Uri(_sidecarUrl, "/v1/completions"), new { model = Model, prompt = "hi", max_tokens = 9000 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("maximum context length is 8192 tokens", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Telemetry_ServesTheLatestScrape()
    {
        var telemetry = await _http.GetFromJsonAsync<SidecarTelemetry>(new Uri(_sidecarUrl, "/dio/telemetry"));

        Assert.NotNull(telemetry);
        Assert.Equal(2405, telemetry.NumGpuBlocks);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(new Uri(_sidecarUrl, "/health/ready"))).StatusCode);
    }

    public async Task DisposeAsync()
    {
        foreach (var app in new[] { _sidecar, _vllm })
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task WaitForTelemetryAsync()
    {
        for (var i = 0; i < 300; i++)
        {
            if ((await _http.GetAsync(new Uri(_sidecarUrl, "/dio/telemetry"))).IsSuccessStatusCode)
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("the sidecar never scraped the emulator");
    }
}
