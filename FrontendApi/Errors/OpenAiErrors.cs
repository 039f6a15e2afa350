using System.Globalization;

namespace Dio.FrontendApi.Errors;

/// <summary>
/// Errors in OpenAI's shape, <c>{"error": {"message", "type", "param", "code"}}</c>, so every OpenAI client library
/// surfaces the message. Every bad input is a 4xx with one of these; overload is 503 with Retry-After.
/// </summary>
public static class OpenAiErrors
{
    public static IResult BadRequest(string message, string? param = null, string code = "invalid_request") =>
        Error(StatusCodes.Status400BadRequest, message, "invalid_request_error", param, code);

    public static IResult ModelNotFound(string model) =>
        Error(StatusCodes.Status404NotFound, $"The model `{model}` does not exist or no healthy worker serves it.", "invalid_request_error",
            "model", "model_not_found");

    public static IResult UnsupportedMediaType(string? contentType) =>
        Error(StatusCodes.Status415UnsupportedMediaType, $"Content-Type must be application/json, got '{contentType ?? "none"}'.",
            "invalid_request_error", null, "unsupported_media_type");

    public static IResult TooLarge(long limit) =>
        Error(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {limit / (1024 * 1024)} MiB.", "invalid_request_error",
            null, "request_too_large");

    /// <summary>503 with Retry-After: DIO sheds load instead of letting a worker thrash.</summary>
    public static IResult Overloaded(string reason, TimeSpan retryAfter) => new RetryAfterResult(
        Error(StatusCodes.Status503ServiceUnavailable, $"All workers for this model are busy ({reason}). Retry after {(int)retryAfter.TotalSeconds} s.",
            "server_overloaded", null, "overloaded"), retryAfter);

    /// <summary>The control plane (the Orleans cluster) could not be reached: transient, so 503 with Retry-After.</summary>
    public static IResult ControlPlaneUnavailable(TimeSpan retryAfter) => new RetryAfterResult(
        Error(StatusCodes.Status503ServiceUnavailable, $"DIO's control plane is unavailable right now. Retry after {(int)retryAfter.TotalSeconds} s.",
            "server_overloaded", null, "control_plane_unavailable"), retryAfter);

    /// <summary>This gateway replica is shutting down: transient (another replica, or this one restarted, will serve).</summary>
    public static IResult ShuttingDown() => new RetryAfterResult(
        Error(StatusCodes.Status503ServiceUnavailable, "This DIO gateway is shutting down. Retry the request.", "server_overloaded", null,
            "shutting_down"), TimeSpan.FromSeconds(1));

    /// <summary>Every worker tried failed before its first byte: transient (they are marked suspect), so 503 with Retry-After.</summary>
    public static IResult NoWorker(string message, TimeSpan retryAfter) => new RetryAfterResult(
        Error(StatusCodes.Status503ServiceUnavailable, message, "server_overloaded", null, "upstream_unavailable"), retryAfter);

    public static IResult Error(int status, string message, string type, string? param, string code) =>
        Results.Json(new ErrorEnvelope(new ErrorBody(message, type, param, code)), statusCode: status);

    /// <summary>The SSE event that ends a stream which broke after its first byte.</summary>
    public static string StreamError(string message, string code = "upstream_stream_broken") =>
        $"data: {System.Text.Json.JsonSerializer.Serialize(new ErrorEnvelope(new ErrorBody(message, "server_error", null, code)), System.Text.Json.JsonSerializerOptions.Web)}\n\n";

    private sealed record ErrorEnvelope(ErrorBody Error);

    private sealed record ErrorBody(string Message, string Type, string? Param, string Code);

    private sealed class RetryAfterResult(IResult inner, TimeSpan retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = ((int)Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds))).ToString(CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
