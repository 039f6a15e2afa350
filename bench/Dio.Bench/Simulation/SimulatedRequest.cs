using Dio.Bench.Traces;
using Dio.Grains;
using Dio.Grains.Routing;

namespace Dio.Bench.Simulation;

/// <summary>One trace request on its way through the simulated gateway, and what happened to it.</summary>
internal sealed class SimulatedRequest(int index, TraceRequest trace, double arrivalSeconds, RouteRequest route)
    : GatewayWaiter(route)
{
    public int Index => index;

    public TraceRequest Trace => trace;

    public double ArrivalSeconds => arrivalSeconds;

    public RouteOutcome Outcome { get; set; }

    public double DispatchSeconds { get; set; }

    public double? FirstTokenSeconds { get; set; }

    public double? FinishedSeconds { get; set; }

    public bool Resolved { get; private set; }

    /// <summary>Called by the router under its turn: only record; the simulator acts after the event.</summary>
    public override void Resolve(in RouteOutcome outcome)
    {
        Outcome = outcome;
        Resolved = true;
        if (outcome.Verdict == RouteVerdict.Routed)
        {
            PolicyState = CapturePolicyState?.Invoke();   // right after the decision that routed it, under the same turn
        }

        ResolvedQueue?.Enqueue(this);
    }

    public Queue<SimulatedRequest>? ResolvedQueue { get; set; }

    /// <summary>Reads what a simulator-only policy knew when it routed this request (llm-d-latency's pick).</summary>
    public Func<object?>? CapturePolicyState { get; init; }

    /// <summary>That state, captured when the request was routed; null for the router's own policies.</summary>
    public object? PolicyState { get; set; }
}
