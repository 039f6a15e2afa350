using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dio.Emulator.Hosting;
using Dio.FrontendApi.Demo;
using Dio.FrontendApi.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Dio.Testing;

namespace Dio.FrontendApi.Tests;

/// <summary>
/// Cluster mode, as on Azure Container Apps: one standalone Silo (the real host, on real ports) whose cluster is found
/// through Redis clustering, sidecars that register with its control API, and a stateless gateway that is an Orleans
/// client of the cluster: one grain call per request, reports one-way.
/// </summary>
public sealed class ClusterModeTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime, IDisposable
{
    private const string AdminKey = "remote-admin";
    private const string SidecarToken = "remote-sidecar";
    private SiloHost _silo = null!;
    private readonly HttpClient _http = new();
    private WebApplication? _gateway;
    private DemoFleet? _fleet;
    private Uri _gatewayUrl = null!;
    private Uri _siloUrl = null!;

    public async Task InitializeAsync()
    {
        var ports = EmulatorHost.FreePorts(4);
        _siloUrl = new Uri($"http://127.0.0.1:{ports[0]}");
        _silo = new SiloHost(redis.ConnectionString, ports[2], ports[3]);
        _silo.UseKestrel(ports[0]);
        _silo.StartServer();
        _gateway = GatewayHost.Build(new GatewayLaunch(false, [], "", 1, ["--urls", $"http://127.0.0.1:{ports[1]}"]), builder =>
        {
            builder.Configuration["Gateway:Mode"] = "cluster";
            builder.Configuration["Cluster:Clustering"] = "redis";
            builder.Configuration["Cluster:Redis"] = redis.ConnectionString;
            builder.Configuration["Silo:AdminKey"] = AdminKey;
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        });
        await _gateway.StartAsync();
        _gatewayUrl = GatewayHost.Address(_gateway);
        _fleet = await DemoFleet.StartAsync(_siloUrl, SidecarToken, "1xA100-80GB,1xL4", 20, CancellationToken.None);
        await GatewayFixture.WaitUntilAsync(async () => (await _http.GetFromJsonAsync<JsonElement>(new Uri(_gatewayUrl, "/v1/models")))
            .GetProperty("data").GetArrayLength() == 1, "the gateway sees the model through the cluster");
    }

    [Fact]
    public async Task Request_RoutedThroughTheCluster_AndTheWorkerLearnsFromTheCompletion()
    {
        using var response = await _http.PostAsJsonAsync(new Uri(_gatewayUrl, "/v1/chat/completions"), new
        {
            model = GatewayFixture.Model, messages = new[] { new { role = "user", content = "through the cluster" } }, max_tokens = 5, stream = true,
        });
        await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var worker = response.Headers.GetValues("X-Dio-Worker").Single();
        Assert.Contains(worker, _fleet!.Workers.Select(w => w.WorkerId));
        await GatewayFixture.WaitUntilAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_siloUrl, "/control/workers"));
            request.Headers.Add("X-Dio-Admin-Key", AdminKey);
            using var workers = await _http.SendAsync(request);
            var list = await workers.Content.ReadFromJsonAsync<List<JsonElement>>();
            return list!.Single(w => w.GetProperty("registration").GetProperty("workerId").GetString() == worker)
                .GetProperty("observations").GetInt64() == 1;
        }, "the worker grain learned from the gateway's one-way completion report");
    }

    public async Task DisposeAsync()
    {
        await GatewayFixture.StopAsync(_fleet, _gateway);

        await _silo.DisposeAsync();
    }

    public void Dispose()
    {
        _silo.Dispose();
        _http.Dispose();
    }

    /// <summary>The real Silo host (its own Program), configured as a deployment would be.</summary>
    private sealed class SiloHost(string redis, int siloPort, int gatewayPort) : WebApplicationFactory<Dio.Silo.Hosting.SiloOptions>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Silo:AdminKey", AdminKey);
            builder.UseSetting("Silo:SidecarToken", SidecarToken);
            builder.UseSetting("Cluster:Clustering", "redis");
            builder.UseSetting("Cluster:Redis", redis);
            builder.UseSetting("Cluster:SiloPort", siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Cluster:GatewayPort", gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }
    }
}
