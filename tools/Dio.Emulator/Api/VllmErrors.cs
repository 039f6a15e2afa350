using System.Text.Json;

namespace Dio.Emulator.Api;

/// <summary>vLLM's error JSON: <c>{"object":"error","message":…,"type":…,"param":null,"code":N}</c> (ALGORITHMS.md §5.3).</summary>
public static class VllmErrors
{
    public static IResult BadRequest(string message) => Error(400, "BadRequestError", message);

    public static IResult NotFound(string message) => Error(404, "NotFoundError", message);

    public static IResult EngineDead() =>
        Error(500, "InternalServerError", "EngineCore encountered an issue. See stack trace (above) for the root cause.");

    /// <summary>vLLM's 400 for prompt + max_tokens over max_model_len, word for word.</summary>
    public static string ContextLengthExceeded(int maxModelLen, int promptTokens, int maxTokens) =>
        $"This model's maximum context length is {maxModelLen} tokens. However, you requested {promptTokens + maxTokens} tokens " +
        $"({promptTokens} in the messages, {maxTokens} in the completion). Please reduce the length of the messages or completion.";

    /// <summary>vLLM's 400 when the prompt alone leaves no room (max_tokens omitted).</summary>
    public static string PromptTooLong(int maxModelLen, int promptTokens) =>
        $"This model's maximum context length is {maxModelLen} tokens. However, your request has {promptTokens} input tokens. " +
        "Please reduce the length of the input messages.";

    private static IResult Error(int code, string type, string message) => Results.Json(new Dictionary<string, object?>
    {
        ["object"] = "error",
        ["message"] = message,
        ["type"] = type,
        ["param"] = null,
        ["code"] = code,
    }, EmulatorJson.Options, statusCode: code);
}
