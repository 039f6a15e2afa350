using System.Net.Http.Headers;
using System.Text;
using Dio.Silo.Control;
using Dio.Silo.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace Dio.Silo.Dashboard;

/// <summary>
/// Orleans' own dashboard (silos, grain activations, calls, latencies) at <c>/dashboard</c> on every silo and on the
/// embedded demo. It shows the cluster's insides, so outside the demo it takes the admin key: the
/// <c>X-Dio-Admin-Key</c> header for tools, or HTTP Basic with the key as the password for a browser (any user
/// name), since a browser cannot add a header by itself. <see cref="SiloOptions.OpenDashboard"/> opens it (the demo).
/// </summary>
public static class DioDashboard
{
    public const string Path = "/dashboard";

    public static ISiloBuilder AddDioDashboard(this ISiloBuilder silo) => silo.AddDashboard();

    public static IEndpointRouteBuilder MapDioDashboard(this IEndpointRouteBuilder app)
    {
        app.MapOrleansDashboard(Path).ExcludeFromDescription().AddEndpointFilter(async (context, next) =>
        {
            if (Allowed(context.HttpContext))
            {
                return await next(context);
            }

            context.HttpContext.Response.Headers.WWWAuthenticate = "Basic realm=\"DIO dashboard\", charset=\"UTF-8\"";
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: $"The dashboard needs the admin key: the {ControlAuth.AdminHeader} header, or HTTP Basic with the key as the password.");
        });
        return app;
    }

    private static bool Allowed(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<SiloOptions>>().Value;
        return options.OpenDashboard || ControlAuth.IsAdmin(context) || BasicPasswordMatches(context, options.AdminKey);
    }

    private static bool BasicPasswordMatches(HttpContext context, string? adminKey)
    {
        if (string.IsNullOrEmpty(adminKey) || !AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[Math.Min(header.Parameter.Length, 1024)];
        if (!Convert.TryFromBase64String(header.Parameter, decoded, out var length))
        {
            return false;
        }

        var credentials = decoded[..length];
        var colon = credentials.IndexOf((byte)':');
        return colon >= 0 && ControlAuth.KeyMatches(credentials[(colon + 1)..], adminKey);
    }
}
