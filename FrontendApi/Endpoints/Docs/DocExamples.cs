using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Dio.Emulator.Engine.Hardware;
using Dio.FrontendApi.Inference;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>
/// The examples Swagger shows and "Try it out" pre-fills. Built from the documentation records, so an example cannot
/// drift from its schema; the requests name the demo's model with a small max_tokens, so "Execute" succeeds against
/// <c>--demo</c> (tested in a real browser by Ui.Tests).
/// </summary>
internal static class DocExamples
{
    /// <summary>A streamed chat answer as it goes over the wire: OpenAI's chunks, the usage chunk when asked, then [DONE].</summary>
    public const string ChatStream =
        "data: {\"id\":\"chatcmpl-3f1c2e9a\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" lorem\"}}]}\n\n" +
        "data: {\"id\":\"chatcmpl-3f1c2e9a\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":1,\"total_tokens\":13}}\n\n" +
        "data: [DONE]\n\n";

    /// <summary>A streamed completion as it goes over the wire.</summary>
    public const string CompletionStream =
        "data: {\"id\":\"cmpl-8b0d4c71\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\" lorem\"}]}\n\n" +
        "data: {\"id\":\"cmpl-8b0d4c71\",\"object\":\"text_completion\",\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":1,\"total_tokens\":5}}\n\n" +
        "data: [DONE]\n\n";

    /// <summary>The model the demo fleet serves (the emulator's default).</summary>
    public static readonly string DemoModel = ModelSpec.Llama3With8B.Name;

    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static JsonNode ChatRequest() => Json(new ChatCompletionRequestDoc
    {
        Model = DemoModel,
        Messages = [new ChatMessageDoc { Role = ChatRoleDoc.User, Content = "Hello!" }],
        MaxTokens = 32,
    });

    public static JsonNode CompletionRequest() => Json(new CompletionRequestDoc { Model = DemoModel, Prompt = "Once upon a time", MaxTokens = 32 });

    public static JsonNode ChatResponse() => Json(new ChatCompletionResponseDoc
    {
        Id = "chatcmpl-3f1c2e9a",
        Object = "chat.completion",
        Created = 1767225600,
        Model = DemoModel,
        Choices = [new ChatChoiceDoc { Index = 0, Message = new ChatMessageDoc { Role = ChatRoleDoc.Assistant, Content = " lorem ipsum dolor" }, FinishReason = "length" }],
        Usage = new UsageDoc { PromptTokens = 12, CompletionTokens = 3, TotalTokens = 15 },
    });

    public static JsonNode CompletionResponse() => Json(new CompletionResponseDoc
    {
        Id = "cmpl-8b0d4c71",
        Object = "text_completion",
        Created = 1767225600,
        Model = DemoModel,
        Choices = [new CompletionChoiceDoc { Index = 0, Text = " lorem ipsum dolor", FinishReason = "length" }],
        Usage = new UsageDoc { PromptTokens = 4, CompletionTokens = 3, TotalTokens = 7 },
    });

    public static JsonNode ModelList() => Json(new ModelListDoc
    {
        Object = "list",
        Data = [new ModelDoc { Id = DemoModel, Object = "model", Created = 0, OwnedBy = "dio" }],
    });

    /// <summary>One error per status, with the message and code the gateway really answers.</summary>
    public static JsonNode Error(int status) => status switch
    {
        StatusCodes.Status400BadRequest => Error($"'max_tokens' must be an integer from 1 to {InferenceRequest.MaxTokensLimit}.", "invalid_request_error", "max_tokens", "invalid_request"),
        StatusCodes.Status404NotFound => Error("The model `no-such-model` does not exist or no healthy worker serves it.", "invalid_request_error", "model",
            "model_not_found"),
        StatusCodes.Status413PayloadTooLarge => Error($"The request body is larger than {InferenceProxy.MaxBodyBytes / (1024 * 1024)} MiB.", "invalid_request_error", null, "request_too_large"),
        StatusCodes.Status415UnsupportedMediaType => Error("Content-Type must be application/json, got 'text/plain'.", "invalid_request_error", null,
            "unsupported_media_type"),
        StatusCodes.Status503ServiceUnavailable => Error("All workers for this model are busy (QueueFull). Retry after 1 s.", "server_overloaded", null, "overloaded"),
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "No example for this status."),
    };

    private static JsonNode Error(string message, string type, string? param, string code) =>
        Json(new ErrorResponseDoc { Error = new ErrorBodyDoc { Message = message, Type = type, Param = param, Code = code } });

    private static JsonNode Json<T>(T value) => JsonSerializer.SerializeToNode(value, Options)!;
}
