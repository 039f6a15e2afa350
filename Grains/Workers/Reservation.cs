using Dio.Grains.Scheduling;

namespace Dio.Grains.Workers;

/// <summary>One routed request from dispatch to completion, with what the router knew when it sent it: the
/// features the predictor learns from later must be the ones the prediction was made with.</summary>
internal struct Reservation
{
    public long Id;
    public int Blocks;
    public int PromptTokens;
    public int PromptBytes;
    public double ExpectedOutputTokens;
    public RequestTier Tier;
    public Vector4 TtftFeatures;
    public Vector4 TpotFeatures;
    public double PredictedWaitMs;
    public double PredictedE2eMs;

    /// <summary>When the first byte arrived; default until then.</summary>
    public DateTimeOffset StartedAt;
    public bool Started;

    /// <summary>A reading taken after the start shows this request, so its blocks no longer count as reserved.</summary>
    public bool Covered;
}
