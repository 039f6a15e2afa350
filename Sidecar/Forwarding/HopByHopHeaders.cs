namespace Dio.Sidecar.Forwarding;

/// <summary>Headers that describe one connection, not the message: a proxy never copies them (RFC 9110 §7.6.1).</summary>
public static class HopByHopHeaders
{
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Host",
    };

    public static bool Contains(string name) => Names.Contains(name);

    /// <summary>Copies the request's end-to-end headers onto an outgoing message (content headers onto its content).</summary>
    public static void CopyRequestHeaders(HttpRequest from, HttpRequestMessage to)
    {
        foreach (var (name, values) in from.Headers)
        {
            if (Contains(name))
            {
                continue;
            }

            if (!to.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values) && to.Content is not null)
            {
                to.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }
    }

    /// <summary>Copies an upstream response's end-to-end headers to the client's response.</summary>
    public static void CopyResponseHeaders(HttpResponseMessage from, HttpResponse to)
    {
        foreach (var (name, values) in from.Headers.Concat(from.Content.Headers))
        {
            if (!Contains(name))
            {
                to.Headers[name] = values.ToArray();
            }
        }
    }
}
