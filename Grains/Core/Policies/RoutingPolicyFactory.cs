using Dio.Grains.Scheduling;

namespace Dio.Grains.Policies;

/// <summary>Creates a policy by name; each router pool gets its own instance (policies keep per-pool state).</summary>
internal static class RoutingPolicyFactory
{
    public static bool IsKnown(string name) => RoutingPolicyNames.All.Contains(name, StringComparer.OrdinalIgnoreCase);

    public static IRoutingPolicy Create(string name, SchedulerOptions options) => name.ToLowerInvariant() switch
    {
        RoutingPolicyNames.Dio => new DioPolicy(),
        RoutingPolicyNames.DioNoShed => new DioPolicy(sheds: false),
        RoutingPolicyNames.DioFaithful => new DioFaithfulPolicy(options.FaithfulSloMs),
        RoutingPolicyNames.RoundRobin => new RoundRobinPolicy(),
        RoutingPolicyNames.Random => new RandomPolicy(new Random(options.Seed)),
        RoutingPolicyNames.LeastOutstanding => new LeastOutstandingPolicy(new Random(options.Seed)),
        RoutingPolicyNames.PowerOfTwo => new PowerOfTwoPolicy(new Random(options.Seed)),
        RoutingPolicyNames.Llmd => new LlmdPolicy(new Random(options.Seed)),
        RoutingPolicyNames.LlmdHetero => new LlmdPolicy(new Random(options.Seed), heterogeneous: true),
        RoutingPolicyNames.SmgCacheAware => new SmgCacheAwarePolicy(new Random(options.Seed)),
        RoutingPolicyNames.SmgLeastLoad => new SmgLeastLoadPolicy(new Random(options.Seed), options.MeasuredThroughput),
        RoutingPolicyNames.DynamoKv => new DynamoKvPolicy(new Random(options.Seed)),
        _ => throw new ArgumentException(
            $"Unknown routing policy '{name}'. Known: {string.Join(", ", RoutingPolicyNames.All)}.", nameof(name)),
    };
}
