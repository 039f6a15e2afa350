using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dio.Emulator.Hosting;
using Dio.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Dio.Silo.Tests;

/// <summary>Grain-level integration through the silo's control API: registration, telemetry, routing, completion,
/// health and recovery. The worker is the vLLM emulator with no sidecar, so the silo reads its /metrics itself.</summary>
public sealed class ControlApiTests : IClassFixture<SiloFactory>, IAsyncLifetime, IDisposable
{
    private const string Model = "meta-llama/Meta-Llama-3-8B-Instruct";
    private readonly SiloFactory _silo;
    private readonly HttpClient _http = new();
    private WebApplication? _vllm;
    private Uri _vllmUrl = null!;

    public ControlApiTests(SiloFactory silo) => _silo = silo;

    public async Task InitializeAsync()
    {
        var options = new EmulatorOptions { Fleet = "L4", Port = 0, TimeScale = 20 };
        _vllm = EmulatorHost.Build(options);
        await _vllm.StartAsync();
        _vllmUrl = EmulatorHost.Urls(_vllm, options)[0];
    }

    [Fact]
    public async Task Register_WithSidecarToken_ThenPolledTelemetryArrives()
    {
        var admin = _silo.Admin();
        using var register = await RegisterAsync("l4-telemetry", token: SiloFactory.SidecarToken);

        Assert.Equal(HttpStatusCode.OK, register.StatusCode);
        await WaitUntilAsync(async () => (await WorkerAsync(admin, "l4-telemetry")).GetProperty("telemetry").ValueKind == JsonValueKind.Object);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    public async Task Register_WithoutValidToken_Is401AndChangesNothing(string? token)
    {
        using var response = await RegisterAsync("intruder", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var workers = await _silo.Admin().GetFromJsonAsync<List<JsonElement>>("/control/workers");
        Assert.DoesNotContain(workers!, w => w.GetProperty("registration").GetProperty("workerId").GetString() == "intruder");
    }

    [Fact]
    public async Task Register_Invalid_Is400()
    {
        using var response = await _silo.Admin().PostAsJsonAsync("/control/workers", new
        {
            workerId = "bad", endpoint = "not a url", model = Model, gpuProfile = "L4", maxModelLen = 0, numGpuBlocks = 10, blockSize = 16, maxNumSeqs = 1, tier = "small",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("endpoint", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("capacity", out _));
    }

    [Fact]
    public async Task RouteThenComplete_ThroughTheGrains_ReleasesTheLeaseAndTeachesTheWorker()
    {
        var admin = _silo.Admin();
        using (await RegisterAsync("l4-route", SiloFactory.SidecarToken))
        {
        }

        var router = _silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IRouterGrain>(Model);
        var outcome = await router.RouteAsync(new RouteRequest(Model, 500, 0, 50, TtftSloMs: 60_000));
        Assert.Equal(RouteVerdict.Routed, outcome.Verdict);
        Assert.Equal(1, (await WorkerAsync(admin, outcome.WorkerId!)).GetProperty("inFlight").GetInt32());

        await router.StartedAsync(outcome.LeaseId);
        await router.CompleteAsync(new CompletionReport(outcome.WorkerId!, outcome.LeaseId, CompletionKind.Success, 80, 900, 500, 50));

        await WaitUntilAsync(async () => (await WorkerAsync(admin, outcome.WorkerId!)).GetProperty("observations").GetInt64() == 1);
        Assert.Equal(0, (await WorkerAsync(admin, outcome.WorkerId!)).GetProperty("inFlight").GetInt32());
    }

    [Fact]
    public async Task Deregister_WorkerGetsNoTraffic_AndItsHeartbeatIs404()
    {
        var admin = _silo.Admin();
        using (await RegisterAsync("l4-leaving", SiloFactory.SidecarToken))
        {
        }

        using var removed = await admin.DeleteAsync("/control/workers/l4-leaving");
        using var heartbeat = new HttpRequestMessage(HttpMethod.Post, "/control/workers/l4-leaving/heartbeat");
        heartbeat.Headers.Add("X-Dio-Sidecar-Token", SiloFactory.SidecarToken);
        using var answer = await _silo.CreateClient().SendAsync(heartbeat);

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        var workers = await admin.GetFromJsonAsync<List<JsonElement>>("/control/workers");
        Assert.DoesNotContain(workers!, w => w.GetProperty("registration").GetProperty("workerId").GetString() == "l4-leaving");
        var pools = await admin.GetFromJsonAsync<List<JsonElement>>("/control/pools");
        Assert.All(pools!, p => Assert.False(p.GetProperty("leases").TryGetProperty("l4-leaving", out _)));
    }

    [Fact]
    public async Task Dashboard_OnTheSilo_TakesTheAdminKey()
    {
        using var anonymous = await _silo.CreateClient().GetAsync("/dashboard/");
        using var admin = await _silo.Admin().GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("Orleans Dashboard", await admin.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{", "malformed JSON")]
    [InlineData("[]", "an array")]
    [InlineData("null", "null")]
    [InlineData("{\"workerId\":\"w\",\"endpoint\":\"http://w\",\"model\":\"m\",\"gpuProfile\":\"L4\",\"maxModelLen\":\"big\",\"numGpuBlocks\":1,\"blockSize\":16,\"maxNumSeqs\":1,\"tier\":\"small\"}", "a number as a string")]
    [InlineData("{\"workerId\":\"w\",\"endpoint\":\"http://w\",\"model\":\"m\",\"gpuProfile\":\"L4\",\"maxModelLen\":99999999999,\"numGpuBlocks\":1,\"blockSize\":16,\"maxNumSeqs\":1,\"tier\":\"small\"}", "an int overflow")]
    public async Task Register_BrokenBody_Is400WithAProblem(string body, string what)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        using var response = await _silo.Admin().PostAsync("/control/workers", content);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Deregister_UnknownWorker_Is404()
    {
        using var response = await _silo.Admin().DeleteAsync("/control/workers/never-registered");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Heartbeat_OverLongWorkerId_Is400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/control/workers/{new string('w', 201)}/heartbeat");
        request.Headers.Add("X-Dio-Sidecar-Token", SiloFactory.SidecarToken);

        using var response = await _silo.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Heartbeat_UnknownWorker_Is404_SoTheSidecarRegistersAgain()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/control/workers/never-registered/heartbeat");
        request.Headers.Add("X-Dio-Sidecar-Token", SiloFactory.SidecarToken);

        using var response = await _silo.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task WorkerStopsAnswering_MarkedUnhealthy_ThenRecovers()
    {
        var admin = _silo.Admin();
        using (await RegisterAsync("l4-health", SiloFactory.SidecarToken))
        {
        }

        await WaitUntilAsync(async () => (await WorkerAsync(admin, "l4-health")).GetProperty("healthy").GetBoolean());
        await _http.PostAsJsonAsync(new Uri(_vllmUrl, "/fault"), new { mode = "crash" });
        await WaitUntilAsync(async () => !(await WorkerAsync(admin, "l4-health")).GetProperty("healthy").GetBoolean());

        await _http.PostAsJsonAsync(new Uri(_vllmUrl, "/fault"), new { mode = "none" });
        await WaitUntilAsync(async () => (await WorkerAsync(admin, "l4-health")).GetProperty("healthy").GetBoolean());
    }

    public async Task DisposeAsync()
    {
        if (_vllm is not null)
        {
            await _vllm.StopAsync();
            await _vllm.DisposeAsync();
        }
    }

    public void Dispose() => _http.Dispose();

    private Task<HttpResponseMessage> RegisterAsync(string workerId, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/control/workers")
        {
            Content = JsonContent.Create(new
            {
                workerId, endpoint = _vllmUrl.ToString().TrimEnd('/'), model = Model, gpuProfile = "L4", maxModelLen = 8192,
                numGpuBlocks = 2405, blockSize = 16, maxNumSeqs = 256, tier = "small",
            }),
        };
        if (token is not null)
        {
            request.Headers.Add("X-Dio-Sidecar-Token", token);
        }

        return _silo.CreateClient().SendAsync(request);
    }

    private static async Task<JsonElement> WorkerAsync(HttpClient admin, string workerId) =>
        (await admin.GetFromJsonAsync<List<JsonElement>>("/control/workers"))!.Single(w => w.GetProperty("registration").GetProperty("workerId").GetString() == workerId);

    /// <summary>Waits for a state the silo reaches by itself; fails after 10 s.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 500 && !await condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(await condition());
    }
}
