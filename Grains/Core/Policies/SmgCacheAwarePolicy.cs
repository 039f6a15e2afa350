namespace Dio.Grains.Policies;

/// <summary>
/// SGLang Model Gateway's default policy, <c>cache_aware</c> (smg-project/smg f8daa88,
/// <c>model_gateway/src/policies/cache_aware.rs</c> <c>select_worker</c> 1001-1098), with the CLI defaults that run
/// when no flag is given (main.rs:239-266): cache threshold 0.3, balance thresholds 64 absolute and 1.5 relative.
/// <list type="bullet">
/// <item>load = the gateway's own in-flight request count (worker.rs:1794-1816).</item>
/// <item>match rate = matched prefix / request prefix; here over the router's prefix-block index (the approximate
/// tree of the original; a request without prefix blocks always misses).</item>
/// <item>Match rate &gt; 0.3 (strict): the least-loaded of the (up to 8) workers holding the deepest match, ties at
/// random (1195-1241, 1412-1438); spill to the least-loaded worker when that load &gt; 1.5·mean and &gt; mean + 64
/// (1172-1186).</item>
/// <item>Otherwise the least-loaded worker, ties to fewer lifetime selections, then the lowest index (1023).</item>
/// </list>
/// Admission is SMG's default: none.
/// </summary>
internal sealed class SmgCacheAwarePolicy(Random random) : IRoutingPolicy
{
    public const double CacheThreshold = 0.3;
    public const double BalanceAbsThreshold = 64;
    public const double BalanceRelThreshold = 1.5;
    public const int MatchedTenantsCap = 8;

    /// <summary>Lifetime selections per worker slot (SMG's <c>processed_requests</c>), grown as slots appear.</summary>
    private long[] _processed = new long[16];

    public string Name => RoutingPolicyNames.SmgCacheAware;

    public bool EnforcesKvAdmission => false;

    public PolicyDecision Decide(in RoutingContext context)
    {
        var candidates = context.Candidates;
        if (candidates.Length == 0)
        {
            return PolicyDecision.Shed(ShedReason.NoHealthyWorker, PolicyDecision.RetryAfterFor(0));
        }

        var minLoad = -1;
        var loadSum = 0.0;
        var deepest = 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            var load = candidates[i].InFlight;
            loadSum += load;
            deepest = Math.Max(deepest, context.MatchedPrefixBlocks[i]);
            if (minLoad < 0 || load < candidates[minLoad].InFlight
                || (load == candidates[minLoad].InFlight && Processed(candidates[i].Slot) < Processed(candidates[minLoad].Slot)))
            {
                minLoad = i;
            }
        }

        var chosen = minLoad;
        if (deepest > 0 && (double)deepest / context.PrefixBlockCount > CacheThreshold)
        {
            var best = new ReservoirArgMin(random);
            var tenants = 0;
            for (var i = 0; i < candidates.Length && tenants < MatchedTenantsCap; i++)
            {
                if (context.MatchedPrefixBlocks[i] == deepest)
                {
                    tenants++;
                    best.Offer(i, candidates[i].InFlight);
                }
            }

            var mean = loadSum / candidates.Length;
            var load = candidates[best.Index].InFlight;
            chosen = load > mean * BalanceRelThreshold && load > mean + BalanceAbsThreshold ? minLoad : best.Index;
        }

        Count(candidates[chosen].Slot);
        return PolicyDecision.Pick(chosen);
    }

    private long Processed(int slot) => slot >= 0 && slot < _processed.Length ? _processed[slot] : 0;

    private void Count(int slot)
    {
        if (slot < 0)
        {
            return;
        }

        if (slot >= _processed.Length)
        {
            Array.Resize(ref _processed, Math.Max(slot + 1, _processed.Length * 2));
        }

        _processed[slot]++;
    }
}
