using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Dio.Grains.Scheduling;

/// <summary>Scheduling constants (ALGORITHMS.md §2.7). Section "Scheduler"; environment variables Scheduler__*.</summary>
public sealed class SchedulerOptions
{
    public const string SectionName = "Scheduler";

    /// <summary>Routing policy name (see <c>RoutingPolicyNames</c>). Default: <c>dio</c>.</summary>
    [Required]
    public string Policy { get; set; } = "dio";

    /// <summary>σ: KV reservations are this many times the estimated need. Default: 1.2.</summary>
    [Range(1.0, 4.0)]
    public double KvSafetyFactor { get; set; } = 1.2;

    /// <summary>h: fraction of a worker's KV blocks kept free for the decode growth of running requests. Default: 0.05.</summary>
    [Range(0.0, 0.5)]
    public double KvHeadroom { get; set; } = 0.05;

    /// <summary>u0: projected KV utilization where the memory penalty starts. Default: 0.80.</summary>
    [Range(0.0, 1.0)]
    public double MemorySoftLimit { get; set; } = 0.80;

    /// <summary>u_hard: projected KV utilization DIO never plans beyond. Default: 0.95.</summary>
    [Range(0.0, 1.0)]
    public double MemoryHardLimit { get; set; } = 0.95;

    /// <summary>TTFT objective of the interactive tier, ms. Default: 2000.</summary>
    [Range(1.0, 3_600_000.0)]
    public double InteractiveTtftSloMs { get; set; } = 2000;

    /// <summary>TTFT objective of the batch tier, ms. Default: 30000.</summary>
    [Range(1.0, 3_600_000.0)]
    public double BatchTtftSloMs { get; set; } = 30_000;

    /// <summary>Shed at once when even the fastest feasible worker is predicted to miss the TTFT objective: the
    /// request would miss anyway, and admitting it delays the ones that can still make it. Default: true.</summary>
    public bool ShedWhenPredictedOverSlo { get; set; } = true;

    /// <summary>Expected output tokens when max_tokens is absent and too few completions were seen. Default: 256.</summary>
    [Range(1, 1_000_000)]
    public int DefaultMaxTokens { get; set; } = 256;

    /// <summary>Gateway queue bound as a multiple of Σ effective concurrency (Q_max = 2·ΣC). Default: 2.</summary>
    [Range(0.0, 100.0)]
    public double QueueBoundFactor { get; set; } = 2;

    /// <summary>DIO's tier-mismatch cost, ms (a small request on a large worker). Default: 500.</summary>
    [Range(0.0, 100_000.0)]
    public double TierMismatchMs { get; set; } = 500;

    /// <summary>Slow start (DIO only): until a worker's TTFT model has learned from this many completions, it holds at
    /// most one request more than it has completed, so a burst cannot pile onto a GPU whose speed is still the
    /// generic prior. 0 turns it off. Default: 8.</summary>
    [Range(0, 1000)]
    public int SlowStartObservations { get; set; } = 8;

    /// <summary>DIO's memory penalty at the hard KV limit, ms (§2.6). Default: 1000. Like every other time in these
    /// options it is in wall-clock ms, so a time-scaled emulated fleet scales it with the rest.</summary>
    [Range(0.0, 100_000.0)]
    public double MemoryPenaltyMs { get; set; } = 1000;

    /// <summary>Largest prefix-cache credit, ms. Default: 200.</summary>
    [Range(0.0, 100_000.0)]
    public double CacheBonusMs { get; set; } = 200;

    /// <summary>Adapt the fast/slow mix (DIO-R); false keeps DIO's fixed 0.8. Default: true.</summary>
    public bool AdaptiveBlend { get; set; } = true;

    /// <summary>SLO of the faithful DIO policy, compared with its E2E-style score, ms. Default: 2000 (DIO_SLO_MS).</summary>
    [Range(1.0, 3_600_000.0)]
    public double FaithfulSloMs { get; set; } = 2000;

    /// <summary>Entries of the approximate prefix index, a power of two. Default: 262144.</summary>
    [Range(1024, 1 << 26)]
    public int PrefixIndexEntries { get; set; } = 1 << 18;

    /// <summary>A KV lease expires this long after its last sign of life (its dispatch, its first byte, a reading
    /// that shows it running, a frontend's renewal while it streams), so a crashed frontend or a lost message can
    /// block a worker's room for at most this long. Frontends renew every third of it. Default: 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeasePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Generation tokens/s an operator measured per GPU profile, for SMG's <c>least_load</c> (its
    /// <c>default_throughput</c>, which vLLM workers over HTTP never report live). Missing: SMG's 2000 tok/s.</summary>
    public Dictionary<string, double> MeasuredThroughput { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Seed of the randomized policies (random, power-of-two, tie breaks). Default: 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>The TTFT objective of a request: its own, or its tier's.</summary>
    public double TtftSloFor(RequestTier tier, double requestedMs) =>
        requestedMs > 0 ? requestedMs : tier == RequestTier.Batch ? BatchTtftSloMs : InteractiveTtftSloMs;
}

/// <summary>Validates <see cref="SchedulerOptions"/> from its attributes at compile time.</summary>
[OptionsValidator]
public sealed partial class SchedulerOptionsValidator : IValidateOptions<SchedulerOptions>;
