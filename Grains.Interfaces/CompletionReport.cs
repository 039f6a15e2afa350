namespace Dio.Grains;

/// <summary>How a forwarded request ended.</summary>
public enum CompletionKind
{
    Success = 0,

    /// <summary>Connect error, refused, 5xx or timeout before any byte: safe to retry elsewhere.</summary>
    FailedBeforeFirstByte = 1,

    /// <summary>The stream broke after the first byte: the client got an error event.</summary>
    FailedMidStream = 2,

    /// <summary>The client went away; says nothing about the worker.</summary>
    Cancelled = 3,
}

/// <summary>What the frontend measured for one routed request; closes its reservation.</summary>
/// <param name="WorkerId">Worker the request went to.</param>
/// <param name="ReservationId">From the route outcome.</param>
/// <param name="Kind">How it ended.</param>
/// <param name="TtftMs">Measured time to first token (ms), 0 when there was none.</param>
/// <param name="E2eMs">Measured end-to-end time (ms).</param>
/// <param name="PromptTokens">usage.prompt_tokens, 0 when unknown.</param>
/// <param name="CompletionTokens">usage.completion_tokens, 0 when unknown.</param>
public readonly record struct CompletionReport(
    string WorkerId,
    long ReservationId,
    CompletionKind Kind,
    double TtftMs,
    double E2eMs,
    int PromptTokens,
    int CompletionTokens);
