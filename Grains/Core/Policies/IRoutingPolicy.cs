namespace Dio.Grains.Policies;

/// <summary>
/// A routing policy: given the request and the candidate workers (healthy, serving the model, context fits),
/// decide. Runs under the router's turn, so a policy may keep mutable state; it must not allocate.
/// Every policy runs both in the live router and in the simulator.
/// </summary>
internal interface IRoutingPolicy
{
    string Name { get; }

    /// <summary>True when the router must refuse reservations that do not fit the worker's free KV (DIO's admission).
    /// Baselines route as their originals do and leave memory pressure to vLLM's queue and preemption.</summary>
    bool EnforcesKvAdmission { get; }

    /// <summary>How long a request this policy answered Wait may stay in the gateway queue before it is shed, given its
    /// TTFT objective: DIO waits at most the objective, flow-controlled baselines their own queue timeout, and the
    /// no-shedding ablation for ever (+∞). The live router caps it at <see cref="Routing.RoutingPool.MaxQueueWait"/>.</summary>
    double QueueTimeoutMs(double ttftSloMs) => ttftSloMs;

    PolicyDecision Decide(in RoutingContext context);
}
