using Dio.Grains.Policies;
using Dio.Grains.Scheduling;
using Dio.Grains.Workers;

namespace Dio.Grains.Tests.Support;

/// <summary>Hand-built worker states and routing contexts for policy tests.</summary>
internal static class TestWorkers
{
    public static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static WorkerRegistration Registration(string id, int blocks = 1000, int maxModelLen = 8192, string tier = "small",
        int maxNumSeqs = 256, string model = "llama-3-8b") =>
        new(id, $"http://{id}", model, "A100-80GB", maxModelLen, blocks, BlockSize: 16, maxNumSeqs, tier);

    public static WorkerState State(string id, int blocks = 1000, double kvUsage = 0, int waiting = 0, int running = 0,
        int inFlight = 0, string tier = "small", double throughput = 0)
    {
        var state = new WorkerState(Registration(id, blocks, tier: tier))
        {
            Telemetry = new WorkerTelemetry(kvUsage, running, waiting, 0, throughput, At),
            InFlight = inFlight,
        };
        return state;
    }

    /// <summary>A predictor that knows this worker: TTFT = a0 + a1·P/1000, TPOT = c0 (ms).</summary>
    public static WorkerState WithPredictor(this WorkerState state, double a0, double a1, double c0, double meanE2eMs = 0)
    {
        state.Predictor = LatencyModelViews.Prior with
        {
            TtftCoefficients = Vector4.Of(a0, a1),
            TpotCoefficients = Vector4.Of(c0),
            MinimumMs = 0.1,
            MeanE2eMs = meanE2eMs,
            MeanPromptTokens = 1000,
            MeanOutputTokens = 250,
            Observations = 100,
        };
        return state;
    }

    public static WorkerState WithFaithful(this WorkerState state, double slope, double bias, double meanLatencyMs)
    {
        state.Predictor = state.Predictor with { FaithfulSlope = slope, FaithfulBias = bias, FaithfulInterference = 0, FaithfulMeanLatencyMs = meanLatencyMs };
        return state;
    }

    public static PolicyDecision Decide(IRoutingPolicy policy, WorkerState[] candidates, int promptTokens = 1000,
        double outputTokens = 100, int[]? matched = null, ulong[]? prefix = null, RequestTier tier = RequestTier.Interactive,
        string? capability = null, SchedulerOptions? options = null, int queued = 0, double queueFactor = 2, int promptBytes = 0)
    {
        var request = new RouteRequest("llama-3-8b", promptTokens, promptBytes, (int)outputTokens, tier,
            PrefixBlocks: prefix ?? [], CapabilityTier: capability);
        options ??= new SchedulerOptions { QueueBoundFactor = queueFactor };
        var context = new RoutingContext(request, promptTokens, outputTokens, outputTokens,
            options.TtftSloFor(tier, 0), candidates, matched ?? new int[candidates.Length], queued, options);
        return policy.Decide(context);
    }
}
