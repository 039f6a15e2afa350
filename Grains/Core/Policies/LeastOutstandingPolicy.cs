namespace Dio.Grains.Policies;

/// <summary>Our reimplementation of least-outstanding-requests (LiteLLM least-busy, AIBrix least-request, haproxy
/// leastconn): the candidate with the fewest requests in flight from this router; ties at random.</summary>
internal sealed class LeastOutstandingPolicy(Random random) : IRoutingPolicy
{
    public string Name => RoutingPolicyNames.LeastOutstanding;

    public bool EnforcesKvAdmission => false;

    public PolicyDecision Decide(in RoutingContext context)
    {
        var best = new ReservoirArgMin(random);
        for (var i = 0; i < context.Candidates.Length; i++)
        {
            best.Offer(i, context.Candidates[i].InFlight);
        }

        return best.Index < 0
            ? PolicyDecision.Shed(ShedReason.NoHealthyWorker, PolicyDecision.RetryAfterFor(0))
            : PolicyDecision.Pick(best.Index);
    }
}
