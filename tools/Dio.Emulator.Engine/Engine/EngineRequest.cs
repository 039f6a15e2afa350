namespace Dio.Emulator.Engine.Engine;

/// <summary>
/// One request inside the engine. <see cref="Length"/> = prompt + generated tokens; the KV cache holds the first
/// <see cref="Computed"/> of them. A step computes Length − Computed tokens (a prefill chunk, or 1 for a decode)
/// and, when that reaches Length, samples the next token.
/// </summary>
public sealed class EngineRequest(long id, int promptTokens, int outputTokens, double arrivalSeconds, ulong[]? prefixHashes = null)
{
    public long Id => id;

    public int PromptTokens => promptTokens;

    /// <summary>Tokens this request will generate before it stops (its true output length).</summary>
    public int OutputTokens => outputTokens;

    public double ArrivalSeconds => arrivalSeconds;

    public ulong[]? PrefixHashes => prefixHashes;

    public int Generated { get; internal set; }

    public int Computed { get; internal set; }

    public int Blocks { get; internal set; }

    public int Preemptions { get; internal set; }

    /// <summary>Prompt tokens served from the prefix cache at the last admission.</summary>
    public int CachedTokens { get; internal set; }

    public double? FirstTokenSeconds { get; internal set; }

    public double? FinishedSeconds { get; internal set; }

    /// <summary>When the previous token came out, for inter-token latency.</summary>
    public double LastTokenSeconds { get; internal set; }

    public bool IsFinished => FinishedSeconds is not null;

    /// <summary>Any value the host wants to carry along (the simulator's request, the HTTP stream).</summary>
    public object? Tag { get; set; }

    public int Length => promptTokens + Generated;

    internal EngineRequest CloneForForecast() => new(id, promptTokens, outputTokens, arrivalSeconds, prefixHashes)
    {
        Generated = Generated,
        Computed = Computed,
        Blocks = Blocks,
        Preemptions = Preemptions,
        CachedTokens = CachedTokens,
        FirstTokenSeconds = FirstTokenSeconds,
        LastTokenSeconds = LastTokenSeconds,
    };
}
