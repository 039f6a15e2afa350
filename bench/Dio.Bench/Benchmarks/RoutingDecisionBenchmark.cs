using BenchmarkDotNet.Attributes;
using Dio.Grains;
using Dio.Grains.Routing;
using Dio.Grains.Scheduling;

namespace Dio.Bench.Benchmarks;

/// <summary>
/// One routing decision on a warmed-up pool: the policy scores every worker from published state, the chosen
/// worker grain takes the reservation under its turn, and (outside the decision, but inside the measured call so
/// the pool stays in steady state) the reservation is released again. Workers carry telemetry, learned predictors
/// and a spread of load so that no branch is trivially skipped.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class RoutingDecisionBenchmark
{
    private const string Model = "llama-3-8b";
    private RouterGrain _router = null!;
    private RouteRequest _request;
    private RouteRequest _decisionRequest;

    [Params(8, 32, 256, 1024)]
    public int Workers { get; set; }

    [Params("dio", "llm-d")]
    public string Policy { get; set; } = "dio";

    [GlobalSetup]
    public void Setup()
    {
        var directory = new GrainDirectory(new SchedulerOptions { Policy = Policy }, TimeProvider.System);
        var random = new Random(42);
        for (var i = 0; i < Workers; i++)
        {
            var id = $"w{i}";
            var worker = directory.GetWorker(id);
            worker.RegisterAsync(new WorkerRegistration(id, $"http://10.0.0.{i % 250}:8000", Model, "A100-80GB", 8192,
                NumGpuBlocks: 2000 + random.Next(30_000), BlockSize: 16, MaxNumSeqs: 256, Tier: "small")).AsTask().Wait();
            worker.ReportTelemetryAsync(new WorkerTelemetry(random.NextDouble() * 0.6, random.Next(0, 40), random.Next(0, 4), 0,
                1500, TimeProvider.System.GetUtcNow())).AsTask().Wait();
        }

        _router = directory.GetPool(Model);
        _request = new RouteRequest(Model, PromptTokens: 0, PromptBytes: 6000, MaxTokens: 256, PrefixBlocks: new ulong[] { 11, 12, 13 });
        _decisionRequest = _request with { PromptTokens = 1500 };

        // Teach every worker something and leave a few requests in flight, as in a running pool.
        for (var i = 0; i < Workers * 20; i++)
        {
            var outcome = _router.TryRoute(_request);
            var report = new CompletionReport(outcome.WorkerId!, outcome.ReservationId, CompletionKind.Success,
                50 + random.Next(200), 2000 + random.Next(3000), 1500, 200 + random.Next(100));
            if (i % 7 != 0)
            {
                _router.Complete(report);
            }
        }
    }

    /// <summary>The decision alone: filter, prefix match and the policy's scoring of every worker.</summary>
    [Benchmark]
    public int Decide() => _router.DecideWithoutReserving(_decisionRequest).Candidate;

    /// <summary>The whole hot path: decide, reserve on the chosen worker grain, then release the reservation.</summary>
    [Benchmark]
    public long RouteAndRelease()
    {
        var outcome = _router.TryRoute(_request);
        _router.Complete(new CompletionReport(outcome.WorkerId!, outcome.ReservationId, CompletionKind.Cancelled, 0, 0, 0, 0));
        return outcome.ReservationId;
    }
}
