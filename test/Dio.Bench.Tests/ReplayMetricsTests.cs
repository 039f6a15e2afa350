using Dio.Bench.Replay;
using Dio.Bench.Traces;
using Dio.Emulator.Hosting;

namespace Dio.Bench.Tests;

/// <summary>The HTTP replay judges what it offered as the simulator does: goodput over the offered span, misses as ∞.</summary>
public sealed class ReplayMetricsTests
{
    // Ten requests two seconds apart: the offered trace lasts 18 s.
    private static readonly TraceRequest[] Trace = [.. Enumerable.Range(0, 10).Select(i => new TraceRequest(i * 2.0, 200, 4))];

    [Fact]
    public async Task EveryRequestServed_GoodputIsCompletionsPerOfferedSecond()
    {
        var options = new EmulatorOptions { Fleet = "1xA100-80GB", Port = 0, TimeScale = 100, Seed = 1 };
        await using var emulator = EmulatorHost.Build(options);
        await emulator.StartAsync();

        var result = await TraceReplayer.RunAsync("direct", EmulatorHost.Urls(emulator, options)[0], options.Model, Trace, load: 1, timeScale: 100,
            sloMs: 1e9, seed: 1);

        Assert.Equal(10, result.Completed);
        Assert.Equal(10 / 18.0, result.GoodputRps, 3);
        Assert.Equal(1, result.AdmittedFraction);
        Assert.True(double.IsFinite(result.TtftP99OfferedMs));
    }

    [Fact]
    public async Task NothingServed_GoodputZero_AndTheOfferedTailInfinite()
    {
        var nobody = new Uri($"http://127.0.0.1:{EmulatorHost.FreePorts(1)[0]}");

        var result = await TraceReplayer.RunAsync("nothing listens", nobody, "m", Trace, load: 1, timeScale: 100, sloMs: 2000, seed: 1);

        Assert.Equal(10, result.TransportErrors);
        Assert.Equal(0, result.GoodputRps);
        Assert.Equal(0, result.AdmittedFraction);
        Assert.Equal(double.PositiveInfinity, result.TtftP99OfferedMs);
    }
}
