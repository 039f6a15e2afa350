namespace Dio.Grains.Observability;

/// <summary>
/// Explicit histogram buckets, in seconds, for DIO's latency histograms, given to each instrument as advice.
/// OpenTelemetry's default buckets (0 to 10,000) are shaped for milliseconds and would put every value in seconds in
/// the first two. Each set spans the scale its quantity lives on, so that <c>histogram_quantile</c> interpolates
/// inside narrow buckets where the values are, and the top bucket sits where a value means something is wrong.
/// </summary>
internal static class LatencyBuckets
{
    /// <summary>One routing decision: a few µs on a warm pool (the micro benchmark), tens of µs in a large pool;
    /// at 10 ms something blocks the router's turn. 10 µs to 100 ms.</summary>
    public static readonly IReadOnlyList<double> Decision =
        [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1];

    /// <summary>Time to first token, measured or predicted, and the error of its prediction: ms for a short prompt on
    /// an idle GPU, seconds for long prompts or a backlog; the queue gives up at 40 s, so a minute is the end of the
    /// normal range. 1 ms to 60 s.</summary>
    public static readonly IReadOnlyList<double> Ttft =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];

    /// <summary>Time per output token: 5 to 50 ms on a healthy GPU, hundreds of ms on one that thrashes. 1 ms to 1 s.</summary>
    public static readonly IReadOnlyList<double> Tpot =
        [0.001, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1];

    /// <summary>End to end: from a one-token answer (tens of ms) to a long generation (minutes). 10 ms to 5 min.</summary>
    public static readonly IReadOnlyList<double> EndToEnd =
        [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300];

    /// <summary>Time in the bounded wait queue: a completion frees room within ms to seconds, and nothing waits past
    /// 40 s (RoutingPool.MaxQueueWait). 1 ms to 60 s.</summary>
    public static readonly IReadOnlyList<double> QueueWait =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 60];
}
