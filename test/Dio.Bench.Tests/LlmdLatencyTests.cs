using Dio.Bench.Simulation;
using Dio.Bench.Simulation.LlmdLatency;
using Dio.Grains;
using Dio.Grains.Policies;
using Dio.Grains.Scheduling;
using Dio.Grains.Workers;

namespace Dio.Bench.Tests;

/// <summary>llm-d-latency's pieces against the formulas of llm-d's source (docs/baselines.md cites each file).</summary>
public sealed class LlmdLatencyTests
{
    private static readonly LatencyFeatures NoPrefix = new(0.3, 1000, 0, 4, 0, 0);

    [Fact]
    public void Scorer_AmongEndpointsThatMeetTheObjective_PicksTheOneClosestToIt()
    {
        // Headroom 1,500 ms (a) and 200 ms (b) meet the objective, c misses it. TPOT headroom is equal, so TTFT alone
        // decides: "least" gives b (|h| smallest) (⌊(1 − 0)·100⌋ + 1)/100 = 1.01 and a 0.01; c is filtered out.
        var picker = new HeadroomPicker(new FixedRandom(0.5));

        var chosen = picker.Choose([Endpoint(1500, 50, 500), Endpoint(200, 50, 1800), Endpoint(-500, 50, 2500)]);

        Assert.Equal(1, chosen);
    }

    [Fact]
    public void Scorer_WhenEveryEndpointMisses_PrefersAnIdleOne()
    {
        var picker = new HeadroomPicker(new FixedRandom(0.5));

        var chosen = picker.Choose([Endpoint(-100, 50, 2100, dispatched: 3), Endpoint(-3000, 50, 5000, dispatched: 0), Endpoint(-50, 50, 2050, dispatched: 1)]);

        Assert.Equal(1, chosen);   // the only endpoint with nothing dispatched, though its deficit is the largest
    }

    [Fact]
    public void StrictAffinity_KeepsThePrefixHolder_UnlessItIsFiveSecondsSlower()
    {
        var picker = new HeadroomPicker(new FixedRandom(0.5));
        var holder = NoPrefix with { PrefixScore = 1.0 };

        Assert.Equal(1, picker.Choose([Endpoint(1500, 50, 500), Endpoint(1000, 50, 1000, features: holder)]));
        Assert.Equal(0, picker.Choose([Endpoint(1500, 50, 500), Endpoint(-4600, 50, 6600, features: holder)]));   // 6.1 s slower: affinity breaks
    }

    [Fact]
    public void WeightedRandomPicker_PicksInProportionToScore()
    {
        var picker = new HeadroomPicker(new Random(7));
        // Both meet the objective: b scores 1.01 (closest to it), a 0.01; a is picked about 1% of the time.
        var picks = Enumerable.Range(0, 2000).Select(_ => picker.Choose([Endpoint(1500, 50, 500), Endpoint(200, 50, 1800)])).ToList();

        Assert.InRange(picks.Count(p => p == 0), 5, 60);
    }

    [Fact]
    public void BayesianRidge_RecoversALinearLaw()
    {
        var random = new Random(3);
        var rows = Enumerable.Range(0, 400).Select(_ =>
        {
            var x = new[] { random.NextDouble() * 10, random.NextDouble() * 1000, 1.0 };   // a constant column is left at 0
            return (x, 30 + (4 * x[0]) + (0.5 * x[1]) + ((random.NextDouble() - 0.5) * 2));
        }).ToList();

        var model = BayesianRidge.Fit(rows);

        Assert.Equal(30 + 20 + 250, model.Predict([5, 500, 1]), 0);
        Assert.Equal(30 + 40 + 500, model.Predict([10, 1000, 1]), 0);
        Assert.Equal(0, model.Predict([-100, -1000, 1]));   // clipped at 0, as the prediction server does
    }

    [Fact]
    public void Admitter_ShedsWhenNoEndpointCanMeetTheObjective_AndNoneIsIdleOrCold()
    {
        var clock = new SimulationClock();
        var sut = new LlmdLatencyPolicy(new Random(1), clock);
        WorkerState[] busy = [State("a", kv: 0.5, running: 8), State("b", kv: 0.6, running: 9)];
        // Teach it that TTFT here is 6 s, then let the next model refresh (30 s) pick that up.
        for (var i = 0; i < 40; i++)
        {
            var pick = new LlmdLatencyPolicy.Pick("a", new LatencyFeatures(0.5, 1000 + i, 0, 8, 0, 0));
            sut.Dispatched(pick);
            sut.FirstToken(pick, 6000 + i);
            sut.Finished(pick, 6000 + i, 8000 + i, 51);
        }

        clock.NowSeconds = LatencyPredictor.RefreshSeconds;

        Assert.Equal(RouteVerdict.Shed, Decide(sut, busy).Verdict);
        Assert.Equal(RouteVerdict.Routed, Decide(sut, [.. busy, State("c", kv: 0.01, running: 1)]).Verdict);   // a cold endpoint admits
    }

    [Fact]
    public void FlowControl_WaitsWhileThePoolIsSaturated()
    {
        var sut = new LlmdLatencyPolicy(new Random(1), new SimulationClock());

        // max(waiting/5, kv/0.8) per endpoint: a 1.2, b 0.9; the mean 1.05 ≥ 1.
        Assert.Equal(RouteVerdict.Wait, Decide(sut, [State("a", kv: 0.4, waiting: 6), State("b", kv: 0.72)]).Verdict);
        Assert.Equal(RouteVerdict.Routed, Decide(sut, [State("a", kv: 0.4, waiting: 4), State("b", kv: 0.72)]).Verdict);
    }

    private static HeadroomPicker.Endpoint Endpoint(double ttftHeadroom, double tpotHeadroom, double predictedTtft, int dispatched = 1,
        LatencyFeatures? features = null) =>
        new(features ?? NoPrefix, ttftHeadroom, tpotHeadroom, predictedTtft, dispatched);

    private static WorkerState State(string id, double kv = 0, int running = 0, int waiting = 0) =>
        new(new WorkerRegistration(id, $"http://{id}", "m", "A100-80GB", 8192, 1000, 16, 256, "small"))
        {
            Telemetry = new WorkerTelemetry(kv, running, waiting, 0, 0, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)),
        };

    private static PolicyDecision Decide(IRoutingPolicy policy, WorkerState[] workers)
    {
        var options = new SchedulerOptions();
        var context = new RoutingContext(new RouteRequest("m", 1000, 0, 100), 1000, 100, 100, 2000, workers, new int[workers.Length], 0, options);
        return policy.Decide(context);
    }

    /// <summary>Every draw the same: no exploration (≥ 1%), and A-Res keys that rank by score alone.</summary>
    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }
}
