using System.Net;
using System.Text.Encodings.Web;

namespace Dio.FrontendApi.Fleet;

/// <summary>
/// The fleet page (<c>fleet.html</c>, embedded in this assembly: one static file, no build step). It reads
/// <c>GET /fleet/workers</c>, which needs the admin key like the rest of the control API.
/// </summary>
/// <remarks>
/// The page asks for the key and keeps it in <c>sessionStorage</c>: it survives a reload, is gone with the tab, and is
/// sent only as a header by the page's own script (a cookie would ride along on any cross-site request). Only the demo
/// (<c>--demo</c>, a random key made per run and printed) writes the key into the page, so that it works out of the box,
/// and only to a browser on this machine: the connection must come from loopback and name a loopback host (a page on
/// another site that rebinds its DNS name to 127.0.0.1 sends its own host name), and must not have come through a proxy.
/// </remarks>
internal static class FleetPage
{
    public const string KeyPlaceholder = "{{ADMIN_KEY}}";

    private static readonly Lazy<string> Html = new(() =>
    {
        using var stream = typeof(FleetPage).Assembly.GetManifestResourceStream("Dio.FrontendApi.Fleet.fleet.html")
            ?? throw new InvalidOperationException("fleet.html is not embedded in the gateway assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The page, with the admin key written in only when <paramref name="shareKey"/> and the request allow it.</summary>
    public static string Render(HttpContext context, bool shareKey, string? adminKey)
    {
        var key = shareKey && !string.IsNullOrEmpty(adminKey) && IsLocalBrowser(context) ? HtmlEncoder.Default.Encode(adminKey) : string.Empty;
        return Html.Value.Replace(KeyPlaceholder, key, StringComparison.Ordinal);
    }

    /// <summary>A direct connection from this machine that names this machine: loopback peer, loopback Host, no proxy headers.</summary>
    internal static bool IsLocalBrowser(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } peer && IPAddress.IsLoopback(peer)
        && IsLoopbackHost(context.Request.Host.Host)
        && !context.Request.Headers.ContainsKey("Forwarded") && !context.Request.Headers.ContainsKey("X-Forwarded-For");

    private static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
