using System.Net;
using System.Net.Http.Json;

namespace Dio.Emulator.Tests;

/// <summary>Faults on server 2 only, restored after each test (the class runs its tests one at a time).</summary>
public sealed class FaultInjectionTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>, IAsyncLifetime
{
    private Uri Server => emulator.Urls[2];

    [Fact]
    public async Task Error500_InferenceAnswers500WithVllmError()
    {
        await SetFault("error500");

        using var response = await Complete(stream: false);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("\"type\":\"InternalServerError\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crash_DropsTheConnection()
    {
        await SetFault("crash");

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Complete(stream: false));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => emulator.Http.GetAsync(new Uri(Server, "/health")));
    }

    [Fact]
    public async Task DropMidStream_FirstBytesArriveThenTheStreamBreaks()
    {
        await SetFault("dropmidstream");
        using var response = await emulator.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri(Server, "/v1/completions"))
        {
            Content = JsonContent.Create(new { model = EmulatorFixture.Model, prompt = "x", max_tokens = 20, stream = true }),
        }, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("data: ", await reader.ReadLineAsync());
        await Assert.ThrowsAnyAsync<IOException>(() => reader.ReadToEndAsync());
    }

    [Fact]
    public async Task Hang_NeverAnswers_UntilTheClientGivesUp()
    {
        await SetFault("hang");
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => emulator.Http.GetAsync(new Uri(Server, "/health"), giveUp.Token));
    }

    [Fact]
    public async Task Slow_StepsTakeFactorTimesLonger()
    {
        // The engine time the same one-step request (a 1,000-token prefill) costs, from the engine's own busy-time
        // counter: planned step durations, so the comparison does not depend on how busy the test machine is.
        var normal = await StepSecondsAsync();
        await SetFault("slow");   // factor 3
        var slowed = await StepSecondsAsync();

        Assert.InRange(slowed / normal, 3 * 0.85, 3 * 1.15);   // ×3, within the ±3% lognormal step noise of each
    }

    [Fact]
    public async Task UnknownMode_Is400()
    {
        using var response = await emulator.Http.PostAsJsonAsync(new Uri(Server, "/fault"), new { mode = "melt" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await SetFault("none");

    private async Task SetFault(string mode)
    {
        using var response = await emulator.Http.PostAsJsonAsync(new Uri(Server, "/fault"), new { mode, factor = 3 });
        response.EnsureSuccessStatusCode();
    }

    private async Task<double> StepSecondsAsync()
    {
        await IdleAsync();   // a request an earlier test dropped may still be decoding: its steps would count here
        var before = await BusySecondsAsync();
        using (await emulator.Http.PostAsJsonAsync(new Uri(Server, "/v1/completions"),
            new { model = EmulatorFixture.Model, prompt = new string('x', 4000), max_tokens = 1 }))
        {
        }

        return await BusySecondsAsync() - before;
    }

    /// <summary>Waits until the engine runs and queues nothing (a condition the engine reaches by itself).</summary>
    private async Task IdleAsync()
    {
        for (var i = 0; i < 600; i++)
        {
            var metrics = await emulator.Http.GetStringAsync(new Uri(Server, "/metrics"));
            if (Gauge(metrics, "vllm:num_requests_running") == 0 && Gauge(metrics, "vllm:num_requests_waiting") == 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the engine never went idle");
    }

    private static double Gauge(string metrics, string name) => double.Parse(
        metrics.Split('\n').First(l => l.StartsWith(name + "{", StringComparison.Ordinal)).Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);

    private async Task<double> BusySecondsAsync()
    {
        var metrics = await emulator.Http.GetStringAsync(new Uri(Server, "/metrics"));
        var line = metrics.Split('\n').Single(l => l.StartsWith("dio_emulator_busy_seconds_total{", StringComparison.Ordinal));
        return double.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private Task<HttpResponseMessage> Complete(bool stream) => emulator.Http.PostAsJsonAsync(new Uri(Server, "/v1/completions"),
        new { model = EmulatorFixture.Model, prompt = "x", max_tokens = 3, stream });
}
