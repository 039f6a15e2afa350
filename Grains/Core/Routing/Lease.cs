using Dio.Grains.Workers;

namespace Dio.Grains.Routing;

/// <summary>
/// One routed request from dispatch to completion: the KV blocks it holds on its worker, and what the router knew
/// when it sent it (the features the predictor learns from later must be the ones the prediction was made with).
/// A lease expires unless renewed within one lease period (first byte, readings that show it running, the frontend
/// while it streams), so that nothing a crashed frontend or a lost message leaves behind blocks a worker for long.
/// </summary>
internal struct Lease
{
    public Guid Id;
    public WorkerState Worker;
    public int Blocks;
    public int PromptTokens;
    public int PromptBytes;
    public int TemplateTokens;
    public RequestTier Tier;
    public Vector4 TtftFeatures;
    public Vector4 TpotFeatures;
    public double PredictedWaitMs;
    public double PredictedE2eMs;

    /// <summary>What the router predicted at dispatch (TTFT with the queue wait, and TPOT), scored at completion.</summary>
    public double PredictedTtftMs;
    public double PredictedTpotMs;

    /// <summary>Last sign of life; the lease expires one lease period after it.</summary>
    public DateTimeOffset RenewedAt;

    /// <summary>When the first byte arrived; default until then.</summary>
    public DateTimeOffset StartedAt;
    public bool Started;

    /// <summary>Its worker learned its TTFT at the first token (see <see cref="SamplePart"/>).</summary>
    public bool TtftLearned;

    /// <summary>A reading taken after the start shows this request, so its blocks no longer count as leased.</summary>
    public bool Covered;

    /// <summary>Once covered: the blocks of the output still to come, which stay reserved (the reading cannot hold them yet).</summary>
    public int GrowthBlocks;

    /// <summary>Readings in a row that showed fewer engine requests than had started, this lease among the excess.</summary>
    public int MissedReadings;

    /// <summary>Given back on that evidence; the entry stays until its report or expiry.</summary>
    public bool Reclaimed;
}
