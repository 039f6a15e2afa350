namespace Dio.Grains;

/// <summary>How a forwarded request ended.</summary>
public enum CompletionKind
{
    Success = 0,

    /// <summary>Connect error, refused, 5xx or timeout before any byte: safe to retry elsewhere; counts against the worker.</summary>
    FailedBeforeFirstByte = 1,

    /// <summary>The stream broke after the first byte: the client got an error event; counts against the worker.</summary>
    FailedMidStream = 2,

    /// <summary>The client went away, or the frontend gave up for its own reasons; says nothing about the worker.</summary>
    Cancelled = 3,
}

/// <summary>What the frontend measured for one routed request; closes its lease (one-way, never on the client's path).</summary>
/// <param name="WorkerId">Worker the request went to.</param>
/// <param name="LeaseId">From the route outcome.</param>
/// <param name="Kind">How it ended.</param>
/// <param name="TtftMs">Measured time to first token (ms), 0 when there was none.</param>
/// <param name="E2eMs">Measured end-to-end time (ms).</param>
/// <param name="PromptTokens">usage.prompt_tokens, 0 when unknown.</param>
/// <param name="CompletionTokens">usage.completion_tokens, 0 when unknown.</param>
[GenerateSerializer, Immutable, Alias("dio.completion-report")]
public readonly record struct CompletionReport(
    [property: Id(0)] string WorkerId,
    [property: Id(1)] Guid LeaseId,
    [property: Id(2)] CompletionKind Kind,
    [property: Id(3)] double TtftMs,
    [property: Id(4)] double E2eMs,
    [property: Id(5)] int PromptTokens,
    [property: Id(6)] int CompletionTokens);
