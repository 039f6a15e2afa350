using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dio.FrontendApi.Inference;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>
/// What chat completions and completions share. Documentation only: the handler reads the client's bytes and forwards
/// them untouched (<see cref="InferenceRequest"/> validates the fields below with these ranges); any other field, such as
/// vLLM's sampling extensions, passes through to the worker.
/// </summary>
internal abstract record GenerationRequestDoc
{
    /// <summary>Model name as vLLM serves it (GET /v1/models lists them). Its workers form one routing pool.</summary>
    [JsonPropertyName("model")]
    [JsonPropertyOrder(-1)]   // first in examples, as OpenAI writes it
    [StringLength(256, MinimumLength = 1)]
    public required string Model { get; init; }

    /// <summary>Most tokens to generate. Prompt plus this must fit the worker's max_model_len, and the KV cache must be able
    /// to hold both, or the request waits or is shed. Without it, learned quantiles of recent output lengths stand in.</summary>
    [JsonPropertyName("max_tokens")]
    [Range(1, InferenceRequest.MaxTokensLimit)]
    public int? MaxTokens { get; init; }

    /// <summary>Sampling temperature.</summary>
    [JsonPropertyName("temperature")]
    [Range(0.0, 2.0)]
    public double? Temperature { get; init; }

    /// <summary>Nucleus sampling: the smallest set of tokens whose probability reaches this.</summary>
    [JsonPropertyName("top_p")]
    [Range(0.0, 1.0)]
    public double? TopP { get; init; }

    /// <summary>Choices to return; each is a sequence the worker decodes at once, and admission counts them.</summary>
    [JsonPropertyName("n")]
    [Range(1, InferenceRequest.MaxChoices)]
    public int? N { get; init; }

    /// <summary>Up to 4 sequences where generation stops.</summary>
    [JsonPropertyName("stop")]
    [OneOf(typeof(string), typeof(string[]))]
    public object? Stop { get; init; }

    /// <summary>Stream the answer as server-sent events (<c>text/event-stream</c>), ending with <c>data: [DONE]</c>.</summary>
    [JsonPropertyName("stream")]
    public bool? Stream { get; init; }

    /// <summary>Options of a streamed answer.</summary>
    [JsonPropertyName("stream_options")]
    public StreamOptionsDoc? StreamOptions { get; init; }

    /// <summary>Penalizes tokens that already appeared.</summary>
    [JsonPropertyName("presence_penalty")]
    [Range(-2.0, 2.0)]
    public double? PresencePenalty { get; init; }

    /// <summary>Penalizes tokens by how often they appeared.</summary>
    [JsonPropertyName("frequency_penalty")]
    [Range(-2.0, 2.0)]
    public double? FrequencyPenalty { get; init; }

    /// <summary>Any other field (vLLM's sampling extensions such as <c>top_k</c>, <c>logprobs</c>, <c>seed</c>) is
    /// forwarded to the worker untouched.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? OtherFields { get; init; }
}
