using Dio.Grains;
using Dio.Grains.Routing;
using Dio.Grains.Scheduling;

namespace Dio.Bench.Benchmarks;

/// <summary>
/// A pool in steady state for measuring decisions: every worker has telemetry, a learned predictor and some
/// requests in flight, with a spread of KV sizes and load so that no branch of a policy is trivially skipped.
/// The request carries three prefix blocks. Shared by the BenchmarkDotNet benchmark and the T7 experiment.
/// </summary>
internal static class WarmPool
{
    public const string Model = "llama-3-8b";

    /// <summary>What a routed request looks like (prompt known only by its bytes, as from a plain HTTP body).</summary>
    public static readonly RouteRequest Request = new(Model, PromptTokens: 0, PromptBytes: 6000, MaxTokens: 256, PrefixBlocks: new ulong[] { 11, 12, 13 });

    /// <summary>The same request with its tokens counted, as the decision benchmark scores it.</summary>
    public static readonly RouteRequest CountedRequest = Request with { PromptTokens = 1500 };

    public static RoutingPool Build(int workers, string policy)
    {
        var fleet = new InProcessPool(Model, new SchedulerOptions { Policy = policy }, TimeProvider.System);
        var random = new Random(42);
        for (var i = 0; i < workers; i++)
        {
            var id = $"w{i}";
            fleet.Register(new WorkerRegistration(id, $"http://worker-{i}.invalid:8000", Model, "A100-80GB", 8192,
                NumGpuBlocks: 2000 + random.Next(30_000), BlockSize: 16, MaxNumSeqs: 256, Tier: "small"));
            fleet.ReportTelemetry(id, new WorkerTelemetry(random.NextDouble() * 0.6, random.Next(0, 40), random.Next(0, 4), 0,
                1500, TimeProvider.System.GetUtcNow()));
        }

        var router = fleet.Pool;

        // Teach every worker something and leave a few requests in flight, as in a running pool.
        for (var i = 0; i < workers * 20; i++)
        {
            var outcome = router.TryRoute(Request);
            if (i % 7 != 0)
            {
                fleet.Complete(new CompletionReport(outcome.WorkerId!, outcome.LeaseId, CompletionKind.Success,
                    50 + random.Next(200), 2000 + random.Next(3000), 1500, 200 + random.Next(100)));
            }
        }

        return router;
    }

    /// <summary>Decide, take the lease, release it: the hot path, leaving the pool as it was.</summary>
    public static Guid RouteAndRelease(RoutingPool router)
    {
        var outcome = router.TryRoute(Request);
        router.Cancel(outcome);
        return outcome.LeaseId;
    }
}
