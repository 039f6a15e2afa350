namespace Dio.Grains;

/// <summary>What the router decided for one request.</summary>
[GenerateSerializer, Alias("dio.route-verdict")]
public enum RouteVerdict
{
    /// <summary>Send it to <see cref="RouteOutcome.WorkerId"/>; a KV lease is held until completion or expiry.</summary>
    Routed = 0,

    /// <summary>No worker can take it now but one should soon: hold it in the bounded gateway queue.</summary>
    Wait = 1,

    /// <summary>Overloaded: answer 503 with <c>Retry-After</c>.</summary>
    Shed = 2,

    /// <summary>Can never be served (prompt + max_tokens beyond every worker's max_model_len): answer 400.</summary>
    Reject = 3,
}

/// <summary>Why a request was shed.</summary>
[GenerateSerializer, Alias("dio.shed-reason")]
public enum ShedReason
{
    None = 0,
    NoHealthyWorker = 1,
    QueueFull = 2,
    DeadlineExceeded = 3,
    PredictedOverSlo = 4,
    NoMemory = 5,

    /// <summary>The client's own TTFT objective is below what the fastest worker is predicted to take when idle:
    /// waiting cannot help, so it is a 400 that says so, not a 503. <see cref="RouteOutcome.PredictedTtftMs"/>
    /// carries that fastest idle prediction.</summary>
    SloUnattainable = 6,
}

/// <summary>How the score of the chosen worker was made up, in ms (ALGORITHMS.md §2.6), for headers and debugging.</summary>
[GenerateSerializer, Immutable, Alias("dio.score-breakdown")]
public readonly record struct ScoreBreakdown([property: Id(0)] double WaitMs, [property: Id(1)] double ServiceMs,
    [property: Id(2)] double TierMs, [property: Id(3)] double MemoryMs, [property: Id(4)] double CacheMs)
{
    /// <summary>Total score: wait + service + tier + memory − cache.</summary>
    public double TotalMs => WaitMs + ServiceMs + TierMs + MemoryMs - CacheMs;
}

/// <summary>The router's answer. A struct so that a decision allocates nothing; only the fields of its verdict are set.</summary>
/// <param name="Verdict">What to do.</param>
/// <param name="WorkerId">Chosen worker (Routed).</param>
/// <param name="Endpoint">Where to forward (Routed).</param>
/// <param name="LeaseId">Lease to renew and to name in the completion report (Routed).</param>
/// <param name="PredictedTtftMs">Predicted time to first token including queue wait (Routed).</param>
/// <param name="PredictedE2eMs">Predicted end-to-end time including queue wait (Routed).</param>
/// <param name="Score">Parts of the chosen worker's score (Routed).</param>
/// <param name="ShedReason">Why (Shed).</param>
/// <param name="RetryAfter">How long the client should wait before retrying (Shed, Wait).</param>
/// <param name="PromptTokens">The prompt tokens the router used, measured or estimated.</param>
/// <param name="MaxModelLen">Largest max_model_len in the pool (Reject), for vLLM's error text.</param>
[GenerateSerializer, Immutable, Alias("dio.route-outcome")]
public readonly record struct RouteOutcome(
    [property: Id(0)] RouteVerdict Verdict,
    [property: Id(1)] string? WorkerId = null,
    [property: Id(2)] string? Endpoint = null,
    [property: Id(3)] Guid LeaseId = default,
    [property: Id(4)] double PredictedTtftMs = 0,
    [property: Id(5)] double PredictedE2eMs = 0,
    [property: Id(6)] ScoreBreakdown Score = default,
    [property: Id(7)] ShedReason ShedReason = ShedReason.None,
    [property: Id(8)] TimeSpan RetryAfter = default,
    [property: Id(9)] int PromptTokens = 0,
    [property: Id(10)] int MaxModelLen = 0);
