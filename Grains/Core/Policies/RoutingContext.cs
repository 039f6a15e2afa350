using Dio.Grains.Scheduling;
using Dio.Grains.Workers;

namespace Dio.Grains.Policies;

/// <summary>Everything a policy may read for one decision; spans over buffers the router reuses.</summary>
internal readonly ref struct RoutingContext
{
    public RoutingContext(in RouteRequest request, int promptTokens, double expectedOutputTokens, double memoryOutputTokens,
        double ttftSloMs, ReadOnlySpan<WorkerState> candidates, ReadOnlySpan<int> matchedPrefixBlocks, int queuedRequests,
        SchedulerOptions options)
    {
        Request = request;
        PromptTokens = promptTokens;
        ExpectedOutputTokens = expectedOutputTokens;
        MemoryOutputTokens = memoryOutputTokens;
        TtftSloMs = ttftSloMs;
        Candidates = candidates;
        MatchedPrefixBlocks = matchedPrefixBlocks;
        QueuedRequests = queuedRequests;
        Options = options;
    }

    public RouteRequest Request { get; }

    /// <summary>P: measured or estimated prompt tokens.</summary>
    public int PromptTokens { get; }

    /// <summary>D̂ for latency: min(max_tokens, running median).</summary>
    public double ExpectedOutputTokens { get; }

    /// <summary>D̂₀.₉ for memory: min(max_tokens, running p90).</summary>
    public double MemoryOutputTokens { get; }

    public double TtftSloMs { get; }

    /// <summary>Workers that are healthy, serve the model and whose max_model_len holds the request.</summary>
    public ReadOnlySpan<WorkerState> Candidates { get; }

    /// <summary>Prefix blocks of the request already routed to each candidate (parallel to <see cref="Candidates"/>).</summary>
    public ReadOnlySpan<int> MatchedPrefixBlocks { get; }

    public int PrefixBlockCount => Request.PrefixBlocks.Length;

    /// <summary>Requests waiting in the gateway queue of this pool.</summary>
    public int QueuedRequests { get; }

    /// <summary>Q_max = factor · Σ effective concurrency over the candidates; computed on demand because only the
    /// no-fit path needs it.</summary>
    public double QueueBound()
    {
        var sum = 0.0;
        foreach (var worker in Candidates)
        {
            sum += worker.Concurrency;
        }

        return Options.QueueBoundFactor * sum;
    }

    public SchedulerOptions Options { get; }

    /// <summary>Fraction of the request's prefix blocks candidate <paramref name="index"/> has seen, 0–1.</summary>
    public double PrefixMatch(int index) =>
        PrefixBlockCount == 0 ? 0 : (double)MatchedPrefixBlocks[index] / PrefixBlockCount;
}
