namespace Dio.Grains.Policies;

/// <summary>Our reimplementation of uniform random choice (AIBrix's fallback, LiteLLM's simple-shuffle without
/// weights).</summary>
internal sealed class RandomPolicy(Random random) : IRoutingPolicy
{
    public string Name => RoutingPolicyNames.Random;

    public bool EnforcesKvAdmission => false;

    public PolicyDecision Decide(in RoutingContext context) =>
        context.Candidates.Length == 0
            ? PolicyDecision.Shed(ShedReason.NoHealthyWorker, PolicyDecision.RetryAfterFor(0))
            : PolicyDecision.Pick(random.Next(context.Candidates.Length));
}
