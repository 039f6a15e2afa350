using Dio.Bench.Traces;
using Dio.Grains;
using Dio.Grains.Policies;

namespace Dio.Bench.Simulation;

/// <summary>
/// Simulator only: knows the true service times. For every candidate it forks the worker's real engine state
/// (no telemetry lag, no learning) and steps it forward to find when this request would get its first token, then
/// takes the earliest. Greedy and clairvoyant about the present, not the future: later arrivals are unknown to it.
/// </summary>
internal sealed class OraclePolicy(Func<string, SimulatedWorker> workers, SimulationClock clock) : IRoutingPolicy
{
    public const string PolicyName = "oracle";

    /// <summary>The trace request being routed (its true output length); set by the simulator before each route.</summary>
    public TraceRequest? Current { get; set; }

    public string Name => PolicyName;

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

        return best < 0
            ? PolicyDecision.Shed(ShedReason.NoHealthyWorker, PolicyDecision.RetryAfterFor(0))
            : PolicyDecision.Pick(best, new ScoreBreakdown(0, bestSeconds * 1000, 0, 0, 0));
    }
}
