using System.Security.Cryptography;
using System.Text;
using Dio.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace Dio.Silo.Control;

/// <summary>Endpoint filters for the control API: the admin key, or (registration and heartbeat only) the sidecar token.
/// A missing or wrong key is 401 and nothing changes; keys are compared in constant time.</summary>
internal static class ControlAuth
{
    public const string AdminHeader = "X-Dio-Admin-Key";
    public const string SidecarHeader = "X-Dio-Sidecar-Token";

    public static TBuilder RequireAdmin<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            IsAdmin(context.HttpContext) ? await next(context) : Unauthorized()).WithMetadata(new ControlAccess(SidecarTokenAccepted: false));

    public static TBuilder RequireAdminOrSidecar<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            IsAdmin(context.HttpContext) || Matches(context.HttpContext, SidecarHeader, Options(context.HttpContext).SidecarToken)
                ? await next(context)
                : Unauthorized()).WithMetadata(new ControlAccess(SidecarTokenAccepted: true));

    internal static bool IsAdmin(HttpContext context) => Matches(context, AdminHeader, Options(context).AdminKey);

    private static SiloOptions Options(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<SiloOptions>>().Value;

    private static bool Matches(HttpContext context, string header, string? expected) =>
        context.Request.Headers.TryGetValue(header, out var given) && given.Count == 1
        && KeyMatches(Encoding.UTF8.GetBytes(given[0] ?? string.Empty), expected);

    /// <summary>A presented key against the configured one, in constant time; never true when none is configured.</summary>
    internal static bool KeyMatches(ReadOnlySpan<byte> given, string? expected) =>
        !string.IsNullOrEmpty(expected) && CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(expected));

    private static IResult Unauthorized() => Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
        detail: $"The control API needs the {AdminHeader} header (or {SidecarHeader} to register and heartbeat).");
}
