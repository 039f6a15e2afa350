namespace Dio.Bench.Traces;

/// <summary>One request of a trace: when it arrives (seconds from the trace start), its lengths, and the hashes
/// of its 512-token prefix blocks where the trace has them.</summary>
public sealed record TraceRequest(double ArrivalSeconds, int PromptTokens, int OutputTokens, ulong[]? PrefixHashes = null);
