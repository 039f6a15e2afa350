using Dio.Bench.Traces;
using Dio.Grains;
using Dio.Grains.Policies;

namespace Dio.Bench.Simulation;

/// <summary>
/// Simulator only: knows the true service times. For every candidate it forks the worker's real engine state
/// (no telemetry lag, no learning) and steps it forward to find when this request would get its first token, then
/// takes the earliest. Greedy and clairvoyant about the present, not the future: later arrivals are unknown to it.
/// The plain <c>oracle</c> never sheds, so it is no upper bound for a policy that does; <c>oracle-shed</c>
/// (<paramref name="sheds"/>) admits a request only where that true TTFT meets the objective and sheds it otherwise.
/// </summary>
internal sealed class OraclePolicy(Func<string, SimulatedWorker> workers, SimulationClock clock, bool sheds = false) : IRoutingPolicy
{
    public const string PolicyName = "oracle";
    public const string SheddingName = "oracle-shed";

    public static bool IsOracle(string policy) => policy is PolicyName or SheddingName;

    /// <summary>The trace request being routed (its true output length); set by the simulator before each route.</summary>
    public TraceRequest? Current { get; set; }

    public string Name => sheds ? SheddingName : PolicyName;

    public bool EnforcesKvAdmission => false;

    public PolicyDecision Decide(in RoutingContext context)
    {
        var best = -1;
        var bestSeconds = double.PositiveInfinity;
        var output = Current?.OutputTokens ?? (int)context.ExpectedOutputTokens;
        for (var i = 0; i < context.Candidates.Length; i++)
        {
            var worker = workers(context.Candidates[i].WorkerId);
            var busyFor = Math.Max(0, worker.BusyUntil - clock.NowSeconds);
            var seconds = worker.Engine.ForecastTimeToFirstToken(context.PromptTokens, Math.Max(1, output), busyFor);
            if (seconds < bestSeconds || best < 0)
            {
                best = i;
                bestSeconds = seconds;
            }
        }

        if (best < 0)
        {
            return PolicyDecision.Shed(ShedReason.NoHealthyWorker, PolicyDecision.RetryAfterFor(0));
        }

        // The oracle decides on arrival only (it never waits), so the true TTFT is this forecast.
        return sheds && bestSeconds * 1000 > context.TtftSloMs
            ? PolicyDecision.Shed(ShedReason.PredictedOverSlo, PolicyDecision.RetryAfterFor(bestSeconds * 1000 - context.TtftSloMs))
            : PolicyDecision.Pick(best, new ScoreBreakdown(0, bestSeconds * 1000, 0, 0, 0));
    }
}
