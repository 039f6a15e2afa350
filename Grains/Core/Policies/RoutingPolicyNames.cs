namespace Dio.Grains.Policies;

/// <summary>Names of the routing policies, as configuration and the simulator spell them.</summary>
public static class RoutingPolicyNames
{
    public const string Dio = "dio";

    /// <summary>The ablation: DIO's routing and KV admission, waiting instead of shedding.</summary>
    public const string DioNoShed = "dio-noshed";
    public const string DioFaithful = "dio-faithful";
    public const string RoundRobin = "round-robin";
    public const string Random = "random";
    public const string LeastOutstanding = "least-outstanding";
    public const string PowerOfTwo = "power-of-two";
    public const string Llmd = "llm-d";
    public const string LlmdHetero = "llm-d-hetero";
    public const string SmgLeastLoad = "smg-least-load";
    public const string SmgCacheAware = "smg-cache-aware";
    public const string DynamoKv = "dynamo-kv";

    /// <summary>Every policy the live router can run (the simulator adds <c>oracle</c>).</summary>
    public static readonly IReadOnlyList<string> All =
        [Dio, DioNoShed, DioFaithful, RoundRobin, Random, LeastOutstanding, PowerOfTwo, Llmd, LlmdHetero, SmgCacheAware, SmgLeastLoad, DynamoKv];
}
