namespace Dio.Silo.Control;

/// <summary>A route request over HTTP (remote frontends). Tier: "interactive" or "batch".</summary>
public sealed record RouteRequestBody(string Model, int PromptTokens, int PromptBytes, int MaxTokens, string? Tier, double TtftSloMs,
    ulong[]? PrefixBlocks, string? CapabilityTier, string[]? Exclude);

/// <summary>A started notice over HTTP: the first byte of a routed request arrived.</summary>
public sealed record StartedBody(string WorkerId, long ReservationId);
