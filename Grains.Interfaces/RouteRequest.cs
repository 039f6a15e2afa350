namespace Dio.Grains;

/// <summary>The features of one inference request the router needs. A struct: routing allocates nothing.</summary>
/// <param name="Model">Requested model; selects the router pool.</param>
/// <param name="PromptTokens">Exact prompt tokens when known (tokenizer), else 0 and the router estimates from <paramref name="PromptBytes"/>.</param>
/// <param name="PromptBytes">UTF-8 bytes of the prompt text, for the bytes→tokens estimate.</param>
/// <param name="MaxTokens">Requested <c>max_tokens</c>; 0 when the client left it out.</param>
/// <param name="Tier">Service class.</param>
/// <param name="TtftSloMs">Per-request TTFT objective in ms; 0 uses the tier's default.</param>
/// <param name="PrefixBlocks">Hashes of the prompt's leading KV-block-sized chunks, in order; empty when unknown.</param>
/// <param name="CapabilityTier">Required worker tier label (DIO's <c>large</c>/<c>small</c>); null for any.</param>
/// <param name="ExcludedWorkers">Workers not to use (a retry after they failed this request); null in the common case.</param>
public readonly record struct RouteRequest(
    string Model,
    int PromptTokens,
    int PromptBytes,
    int MaxTokens,
    RequestTier Tier = RequestTier.Interactive,
    double TtftSloMs = 0,
    ReadOnlyMemory<ulong> PrefixBlocks = default,
    string? CapabilityTier = null,
    IReadOnlyList<string>? ExcludedWorkers = null);
