using Dio.Bench.Experiments;
using Dio.Bench.Reports;
using Dio.Bench.Simulation;
using Dio.Bench.Traces;
using Dio.Bench.Workloads;

namespace Dio.Bench.Tests;

public sealed class EvaluationTests
{
    private static readonly Lazy<List<TraceRequest>> AzureMixTrace = new(() => TraceReader.Read(SharedTraces.Azure).Take(2000).ToList());

    private static List<TraceRequest> AzureMix => AzureMixTrace.Value;

    [TraceFact]
    public void SyntheticTrace_FollowsEachSegmentsRate_AndKeepsTheMixInOrder()
    {
        var trace = SyntheticTrace.Poisson(AzureMix, [new(100, 5), new(10, 50), new(100, 5)], seed: 3);

        var steady = trace.Count(r => r.ArrivalSeconds < 100);
        var burst = trace.Count(r => r.ArrivalSeconds is >= 100 and < 110);
        Assert.InRange(steady, 400, 600);            // 500 expected; Poisson spread is ±√500 ≈ 22
        Assert.InRange(burst, 400, 600);
        Assert.True(trace.Zip(trace.Skip(1)).All(p => p.First.ArrivalSeconds <= p.Second.ArrivalSeconds));
        Assert.Equal(AzureMix.Take(50).Select(r => r.PromptTokens), trace.Take(50).Select(r => r.PromptTokens));
    }

    [TraceFact]
    public void FleetCapacity_AddsUpPerGpu_AndFasterGpusServeMore()
    {
        var hetero = FleetCapacity.Measure("hetero-8", AzureMix, 8192);
        var oneA100 = FleetCapacity.Measure("1xA100-80GB", AzureMix, 8192);

        Assert.True(hetero.PerGpu["A100-80GB"] > hetero.PerGpu["L4"] && hetero.PerGpu["L4"] > hetero.PerGpu["T4"]);
        Assert.Equal((2 * hetero.PerGpu["A100-80GB"]) + (4 * hetero.PerGpu["L4"]) + (2 * hetero.PerGpu["T4"]), hetero.RequestsPerSecond, 2);
        Assert.Equal(oneA100.RequestsPerSecond, hetero.PerGpu["A100-80GB"], 3);
    }

    [TraceFact]
    public void Overload_DioShedsTheExcess_WithoutPreemptions_AndLosesNothing()
    {
        var capacity = FleetCapacity.Measure("hetero-8", AzureMix, 8192).RequestsPerSecond;

        var rows = OverloadExperiment.Run(AzureMix, "hetero-8", capacity, [2], ["dio", "round-robin"], floodSeconds: 30, seed: 1);

        var dio = rows.Single(r => r.Policy == "dio").Result;
        var roundRobin = rows.Single(r => r.Policy == "round-robin").Result;
        Assert.True(dio.Shed > 0, "2× capacity cannot all be served");
        Assert.Equal(0, dio.Preemptions);
        Assert.Equal(0, dio.Lost);
        Assert.Equal(dio.Requests, dio.Completed + dio.Shed + dio.Rejected);
        Assert.True(dio.TtftP99Ms < roundRobin.TtftP99Ms / 5, $"dio {dio.TtftP99Ms} ms vs round-robin {roundRobin.TtftP99Ms} ms");
    }

    [TraceFact]
    public void Spike_TimelineCoversTheRun_AndDioRecoversAfterTheBurst()
    {
        var settings = new SpikeExperiment.Settings(SteadyRps: 4, BeforeSeconds: 60, AfterSeconds: 90);

        var rows = SpikeExperiment.Run(AzureMix, "hetero-8", ["dio"], settings, sloMs: 2000);

        var dio = rows.Single();
        Assert.Equal((60 + 10 + 90) / SpikeExperiment.BucketSeconds, dio.Timeline.Count);
        Assert.True(dio.Timeline.Where(b => b.StartSeconds is >= 60 and < 70).Sum(b => b.Arrived) > 5 * dio.Timeline.Take(2).Sum(b => b.Arrived));
        Assert.NotNull(dio.RecoveredAfterSeconds);
        Assert.Equal(0, dio.Preemptions);
    }

    [Fact]
    public void Goals_AreJudgedFromTheMeasurements()
    {
        static SimulationResult Run(string policy, double load, double p99, double slo = 0.99) => new()
        {
            Policy = policy, Load = load, Cluster = "c", Requests = 10, Completed = 10, Shed = 0, Rejected = 0, Preemptions = 0,
            TtftP50Ms = p99 / 2, TtftP90Ms = p99, TtftP99Ms = p99, E2eP50Ms = p99, E2eP90Ms = p99, E2eP99Ms = p99, SloAttainment = slo,
            SloMs = 2000, TtftPredictionMape = 0, E2ePredictionMape = 0, WorkerUtilization = new Dictionary<string, double>(),
            RequestsPerWorker = new Dictionary<string, int>(), LearnedIdleTtft1kMs = new Dictionary<string, double>(),
            ShedByReason = new Dictionary<string, int>(), SimulatedSeconds = 1, WallSeconds = 1,
        };
        IReadOnlyList<SimulationResult> Hetero(double dioP99) =>
        [
            Run("dio", 1, 500), Run("round-robin", 1, 1500), Run("llm-d", 1, 1000), Run("smg-least-load", 1, 1000), Run("oracle", 1, 480),
            Run("dio", 2, dioP99), Run("round-robin", 2, 3000), Run("llm-d", 2, 2000), Run("smg-least-load", 2, 2000), Run("oracle", 2, 800),
        ];
        IReadOnlyList<SimulationResult> homo = [Run("dio", 1, 1040), Run("dynamo-kv", 1, 1000), Run("oracle", 1, 900)];

        var met = GoalsCheck.Evaluate(Hetero(dioP99: 900), homo, []);
        var missed = GoalsCheck.Evaluate(Hetero(dioP99: 1200), [Run("dio", 1, 1100), Run("dynamo-kv", 1, 1000)], []);

        // The goal load is the first where round-robin exceeds the SLO (2), not the first swept (1).
        Assert.All(met.Where(g => g.Name.Contains("load 2", StringComparison.Ordinal)), g => Assert.True(g.Met, g.Name));
        Assert.Contains(met, g => g.Name.StartsWith("homo-8", StringComparison.Ordinal) && g.Met);
        Assert.Contains(missed, g => g.Name.Contains("`round-robin`", StringComparison.Ordinal) && !g.Met);   // 2.5×, not 3×
        Assert.Contains(missed, g => g.Name.Contains("`oracle`", StringComparison.Ordinal) && !g.Met);       // 1.5× the oracle
        Assert.Contains(missed, g => g.Name.StartsWith("homo-8", StringComparison.Ordinal) && !g.Met);      // 10% behind
    }

    [Fact]
    public void ReportDocument_ReplacesOnlyItsBlock_AndNamesAMissingOne()
    {
        const string document = "intro\n<!-- report:a -->\nold a\n<!-- /report:a -->\nprose\n<!-- report:b -->\nold b\n<!-- /report:b -->\n";

        var updated = ReportDocument.Replace(ReportDocument.Replace(document, "a", "new a\n"), "a", "newer a");

        Assert.Equal("intro\n<!-- report:a -->\nnewer a\n<!-- /report:a -->\nprose\n<!-- report:b -->\nold b\n<!-- /report:b -->\n", updated);
        Assert.Contains("report:c", Assert.Throws<FormatException>(() => ReportDocument.Replace(document, "c", "x")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Chart_LogAxes_PlaceDecadesEvenly()
    {
        var svg = new SvgLineChart("t", "x", "y", logY: true, logX: true).Add("s", [(1, 10), (10, 100), (100, 1000)]).Render();

        var points = System.Text.RegularExpressions.Regex.Match(svg, "points=\"([^\"]+)\"").Groups[1].Value.Split(' ')
            .Select(p => p.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.Equal(points[1][0] - points[0][0], points[2][0] - points[1][0], 1);
        Assert.Equal(points[1][1] - points[0][1], points[2][1] - points[1][1], 1);
    }
}
