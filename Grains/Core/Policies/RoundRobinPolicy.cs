namespace Dio.Grains.Policies;

/// <summary>Our reimplementation of plain round robin (nginx's default, Dynamo's default mode): the next candidate
/// in turn, blind to load and memory.</summary>
internal sealed class RoundRobinPolicy : IRoutingPolicy
{
    private uint _next;

    public string Name => RoutingPolicyNames.RoundRobin;

    public bool EnforcesKvAdmission => false;

    public PolicyDecision Decide(in RoutingContext context) =>
        context.Candidates.Length == 0
            ? PolicyDecision.Shed(ShedReason.NoHealthyWorker, PolicyDecision.RetryAfterFor(0))
            : PolicyDecision.Pick((int)(_next++ % (uint)context.Candidates.Length));
}
