using System.Net;

namespace Dio.Sidecar.Forwarding;

/// <summary>The one HTTP invoker a forwarder shares for all its requests (YARP's direct-forwarding settings): no proxy,
/// no redirects, no cookies, no decompression, bounded connect time and pooled connections recycled every 5 minutes.</summary>
public static class ForwardingInvoker
{
    public static HttpMessageInvoker Create() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    });
}
