namespace Dio.Grains.Policies;

/// <summary>A policy's verdict; <see cref="Candidate"/> indexes <see cref="RoutingContext.Candidates"/>.</summary>
internal readonly record struct PolicyDecision(
    RouteVerdict Verdict,
    int Candidate,
    ScoreBreakdown Score = default,
    double RequiredBlocks = 0,
    ShedReason Reason = ShedReason.None,
    TimeSpan RetryAfter = default,
    double FastestIdleTtftMs = 0)
{
    public static PolicyDecision Pick(int candidate, ScoreBreakdown score = default, double requiredBlocks = 0) =>
        new(RouteVerdict.Routed, candidate, score, requiredBlocks);

    public static PolicyDecision Shed(ShedReason reason, TimeSpan retryAfter) =>
        new(RouteVerdict.Shed, -1, Reason: reason, RetryAfter: retryAfter);

    /// <summary>The client's TTFT objective is below the fastest idle prediction: no wait can meet it.</summary>
    public static PolicyDecision SloUnattainable(double fastestIdleTtftMs) =>
        new(RouteVerdict.Shed, -1, Reason: ShedReason.SloUnattainable, FastestIdleTtftMs: fastestIdleTtftMs);

    public static PolicyDecision Wait(TimeSpan retryAfter) => new(RouteVerdict.Wait, -1, RetryAfter: retryAfter);

    /// <summary>Retry-After in whole seconds, at least 1 (ALGORITHMS.md §2.5).</summary>
    public static TimeSpan RetryAfterFor(double waitMs) =>
        TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(double.IsFinite(waitMs) ? waitMs / 1000 : 1)));
}
