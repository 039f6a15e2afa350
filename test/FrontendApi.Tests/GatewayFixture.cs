using System.Net.Http.Json;
using System.Text.Json;
using Dio.Emulator.Hosting;
using Dio.FrontendApi.Demo;
using Dio.FrontendApi.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Dio.FrontendApi.Tests;

/// <summary>
/// The whole stack over loopback, as a user runs it: the gateway with its embedded silo, and an emulated fleet in
/// which every emulated vLLM sits behind a real Sidecar that registers with the silo over HTTP.
/// </summary>
public class GatewayFixture : IAsyncLifetime
{
    public const string Model = "meta-llama/Meta-Llama-3-8B-Instruct";
    public const string AdminKey = "test-admin-key";
    private const string SidecarToken = "test-sidecar-token";
    private WebApplication? _gateway;
    private DemoFleet? _fleet;

    protected virtual string Fleet => "1xA100-80GB,2xL4";

    protected virtual double TimeScale => 20;

    public Uri Url { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromMinutes(2) };

    internal IReadOnlyList<DemoWorker> Workers => _fleet!.Workers;

    /// <summary>The gateway itself, for tests that stop it.</summary>
    internal WebApplication Gateway => _gateway!;

    public virtual async Task InitializeAsync()
    {
        var port = EmulatorHost.FreePorts(1)[0];
        _gateway = GatewayHost.Build(new GatewayLaunch(false, [], Fleet, TimeScale, ["--urls", $"http://127.0.0.1:{port}"]), builder =>
        {
            builder.Configuration["Silo:AdminKey"] = AdminKey;
            builder.Configuration["Silo:SidecarToken"] = SidecarToken;
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
            Configure(builder);
        });
        await _gateway.StartAsync();
        Url = GatewayHost.Address(_gateway);
        _fleet = await DemoFleet.StartAsync(Url, SidecarToken, Fleet, TimeScale, CancellationToken.None);
        await WaitUntilAsync(async () => (await WorkersAsync()).Count(w => w.GetProperty("healthy").GetBoolean()) == _fleet.Workers.Count,
            "every worker registered and healthy");
    }

    /// <summary>Settings a derived fixture adds to the gateway's.</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public virtual async Task DisposeAsync()
    {
        await StopAsync(_fleet, _gateway);

        Http.Dispose();
    }

    /// <summary>Stops a demo fleet, then the gateway it registered with (either may be missing after a failed start).</summary>
    internal static async Task StopAsync(DemoFleet? fleet, WebApplication? gateway)
    {
        if (fleet is not null)
        {
            await fleet.DisposeAsync();
        }

        if (gateway is not null)
        {
            await gateway.StopAsync();
            await gateway.DisposeAsync();
        }
    }

    public async Task<List<JsonElement>> WorkersAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Url, "/control/workers"));
        request.Headers.Add("X-Dio-Admin-Key", AdminKey);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<List<JsonElement>>() ?? [];
    }

    public async Task<JsonElement> WorkerAsync(string workerId) =>
        (await WorkersAsync()).Single(w => w.GetProperty("registration").GetProperty("workerId").GetString() == workerId);

    public async Task SetFaultAsync(string workerId, string mode, double factor = 1)
    {
        var worker = Workers.Single(w => w.WorkerId == workerId);
        using var response = await Http.PostAsJsonAsync(new Uri(worker.Emulator, "/fault"), new { mode, factor });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Waits for a condition the system reaches on its own (registration, a health verdict), failing after
    /// <paramref name="seconds"/> (15 s by default). A condition check, not a timing assumption: the assertion about
    /// how fast is made by the caller.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, double seconds = 15)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for: {what}");
            }

            await Task.Delay(50);
        }
    }
}
