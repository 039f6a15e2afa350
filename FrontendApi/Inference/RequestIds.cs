namespace Dio.FrontendApi.Inference;

/// <summary>
/// <c>X-Request-Id</c>: the client's own when it sends one (1–128 characters of letters, digits and <c>-_.:</c>, so
/// that it is safe in headers and logs), otherwise a new one. Returned on every answer, passed to the worker (vLLM
/// takes it as its request id) and written in DIO's logs.
/// </summary>
internal static class RequestIds
{
    public const string Header = "X-Request-Id";
    public const int MaxLength = 128;

    /// <summary>The request's id; false when the client sent one that is not acceptable.</summary>
    public static bool TryGet(HttpContext context, out string id)
    {
        if (!context.Request.Headers.TryGetValue(Header, out var given))
        {
            id = Guid.NewGuid().ToString("N");
            return true;
        }

        id = given.Count == 1 ? given[0] ?? string.Empty : string.Empty;
        return id.Length is > 0 and <= MaxLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
    }
}
