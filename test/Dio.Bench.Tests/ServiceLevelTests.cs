using Dio.Bench.Metrics;
using Dio.Bench.Simulation;
using Dio.Bench.Traces;

namespace Dio.Bench.Tests;

/// <summary>The offered-request metrics on hand-built outcomes, and the ablation and bound built on them.</summary>
public sealed class ServiceLevelTests
{
    [Fact]
    public void GoodputAndAttainment_CountShedRejectedAndLostAsMisses()
    {
        // 10 offered over 5 s: 6 completed (4 within 1,000 ms), 4 not completed (shed, rejected or lost).
        double?[] ttft = [100, 200, 900, 1000, 1500, 3000, null, null, null, null];

        var level = ServiceLevel.Of(ttft, sloMs: 1000, offeredSeconds: 5);

        Assert.Equal(4, level.WithinSlo);
        Assert.Equal(0.8, level.GoodputRps, 12);          // 4 / 5 s
        Assert.Equal(0.4, level.SloAttainment, 12);       // 4 / 10, not 4 / 6
        Assert.Equal(0.6, level.AdmittedFraction, 12);
        Assert.True(double.IsPositiveInfinity(level.TtftP99OfferedMs));
    }

    [Fact]
    public void OfferedP99_IsFinite_WhenEveryRequestCompleted()
    {
        var ttft = Enumerable.Range(1, 101).Select(i => (double?)(i * 10)).ToList();   // 10 … 1,010 ms

        var level = ServiceLevel.Of(ttft, sloMs: 2000, offeredSeconds: 10);

        Assert.Equal(1000, level.TtftP99OfferedMs, 9);   // rank 0.99 × 100 = 99 → the 100th value
        Assert.Equal(1, level.SloAttainment);
    }

    [Fact]
    public void EqualAdmittedP99_DropsTheSameShareOfEveryPolicysSlowestRequests()
    {
        // A sheds 2 of 10; B completes all, its two slowest at 5 and 9 s. Cut to 80%, B is judged on its fastest 8.
        var a = ServiceLevel.Of([100, 110, 120, 130, 140, 150, 160, 170, null, null], 1000, 10);
        var b = ServiceLevel.Of([200, 210, 220, 230, 240, 250, 260, 270, 5000, 9000], 1000, 10);

        var common = ServiceLevel.CommonAdmittedFraction([a, b]);

        Assert.Equal(0.8, common, 12);
        Assert.Equal(169.3, a.P99AtAdmittedFraction(common), 9);   // 160 + 0.93 × 10
        Assert.Equal(269.3, b.P99AtAdmittedFraction(common), 9);
        Assert.True(b.TtftP99OfferedMs > 8000);                    // over everything offered B's tail is its 9 s request
    }

    private static IReadOnlyList<TraceRequest> Burst(int count, double rate, int prompt, int output, int seed)
    {
        var random = new Random(seed);
        var at = 0.0;
        return [.. Enumerable.Range(0, count).Select(_ => new TraceRequest(at += -Math.Log(1 - random.NextDouble()) / rate, prompt, output))];
    }

    [Fact]
    public void DioNoShed_ServesEverything_WhereDioSheds()
    {
        var trace = Burst(600, rate: 40, prompt: 2000, output: 200, seed: 3);   // far above a 2×L4 fleet's capacity

        var dio = new ClusterSimulation(trace, "2xL4", new SimulationSettings("dio", 1)).Run();
        var noShed = new ClusterSimulation(trace, "2xL4", new SimulationSettings("dio-noshed", 1)).Run();

        Assert.True(dio.Shed > 0);
        Assert.Equal(0, noShed.Shed);
        Assert.Equal(trace.Count, noShed.Completed + noShed.Rejected);
        Assert.Equal(0, noShed.Preemptions);   // the same KV admission: waiting is not thrashing
        Assert.True(dio.GoodputRps >= noShed.GoodputRps, $"dio {dio.GoodputRps:F2} vs noshed {noShed.GoodputRps:F2} req/s");
        Assert.True(dio.TtftP99Ms * 5 < noShed.TtftP99Ms, $"admitted p99: dio {dio.TtftP99Ms:F0} ms vs noshed {noShed.TtftP99Ms:F0} ms");
    }

    [Fact]
    public void OracleShed_AdmitsOnlyWhatItsTrueForecastServesInTime()
    {
        var trace = Burst(400, rate: 30, prompt: 1500, output: 100, seed: 5);
        var settings = new SimulationSettings("oracle-shed", 1) { SloMs = 1500 };

        var simulation = new ClusterSimulation(trace, "1xA100-80GB,2xT4", settings);
        var result = simulation.Run();

        Assert.True(result.Shed > 0);
        var admitted = simulation.Records().Where(r => r.TtftMs is not null).Select(r => r.TtftMs!.Value).ToList();
        // Clairvoyant on the present, not the future: it admits up to the objective, and a later arrival whose prefill
        // chunk joins the same step (vLLM fills the token budget) slows it by a few percent; so it is a bound within
        // 15%, not an exact one (the report says so).
        Assert.All(admitted, ttft => Assert.True(ttft <= settings.SloMs * 1.15, $"admitted a request answered in {ttft:F0} ms"));
        var plain = new ClusterSimulation(trace, "1xA100-80GB,2xT4", settings with { Policy = "oracle" }).Run();
        Assert.Equal(0, plain.Shed);
        Assert.Equal(trace.Count, plain.Completed);
    }
}
