namespace Dio.Grains;

/// <summary>The features of one inference request the router needs: the one blocking grain call of a request.</summary>
/// <param name="Model">Requested model; selects the router pool.</param>
/// <param name="PromptTokens">Exact prompt tokens when known (tokenizer), else 0 and the router estimates from <paramref name="PromptBytes"/>.</param>
/// <param name="PromptBytes">UTF-8 bytes of the prompt text, for the bytes→tokens estimate.</param>
/// <param name="MaxTokens">Requested <c>max_tokens</c>; 0 when the client left it out.</param>
/// <param name="Tier">Service class.</param>
/// <param name="TtftSloMs">Per-request TTFT objective in ms; 0 uses the tier's default.</param>
/// <param name="PrefixBlocks">Hashes of the prompt's leading KV-block-sized chunks, in order; empty when unknown.</param>
/// <param name="CapabilityTier">Required worker tier label (DIO's <c>large</c>/<c>small</c>); null for any.</param>
/// <param name="ExcludedWorkers">Workers not to use (a retry after they failed this request); null in the common case.</param>
/// <param name="Prompts">Prompts in the request (a completions batch is several); the prompt figures above are their sum.</param>
/// <param name="Sequences">Sequences vLLM decodes at once for it: prompts × max(n, best_of). Each holds its own output KV.</param>
/// <param name="TemplateTokens">Tokens the chat template adds around the messages, on top of the prompt estimate.</param>
[GenerateSerializer, Immutable, Alias("dio.route-request")]
public readonly record struct RouteRequest(
    [property: Id(0)] string Model,
    [property: Id(1)] int PromptTokens,
    [property: Id(2)] int PromptBytes,
    [property: Id(3)] int MaxTokens,
    [property: Id(4)] RequestTier Tier = RequestTier.Interactive,
    [property: Id(5)] double TtftSloMs = 0,
    [property: Id(6)] ReadOnlyMemory<ulong> PrefixBlocks = default,
    [property: Id(7)] string? CapabilityTier = null,
    [property: Id(8)] string[]? ExcludedWorkers = null,
    [property: Id(9)] int Prompts = 1,
    [property: Id(10)] int Sequences = 1,
    [property: Id(11)] int TemplateTokens = 0);
