namespace Dio.Grains.Policies;

/// <summary>Our reimplementation of power of two choices (Ray Serve's default, YARP's PowerOfTwoChoices, SMG
/// power_of_two): sample two distinct candidates uniformly, keep the one with fewer requests in flight (the first
/// sampled on a tie).</summary>
internal sealed class PowerOfTwoPolicy(Random random) : IRoutingPolicy
{
    public string Name => RoutingPolicyNames.PowerOfTwo;

    public bool EnforcesKvAdmission => false;

    public PolicyDecision Decide(in RoutingContext context)
    {
        var count = context.Candidates.Length;
        if (count == 0)
        {
            return PolicyDecision.Shed(ShedReason.NoHealthyWorker, PolicyDecision.RetryAfterFor(0));
        }

        if (count == 1)
        {
            return PolicyDecision.Pick(0);
        }

        var first = random.Next(count);
        var second = random.Next(count - 1);
        if (second >= first)
        {
            second++;   // uniform over the others, without a retry loop
        }

        return PolicyDecision.Pick(context.Candidates[second].InFlight < context.Candidates[first].InFlight ? second : first);
    }
}
