using Dio.Silo.Control;
using Dio.Silo.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Dio.FrontendApi.Fleet;

/// <summary>The fleet page at <c>/fleet</c> and the data it polls, <c>/fleet/workers</c> (admin key, as the control API).</summary>
internal static class FleetEndpoints
{
    /// <param name="app">The gateway.</param>
    /// <param name="shareKeyWithLocalBrowser">The demo: write the admin key into the page for a browser on this machine
    /// (see <see cref="FleetPage"/>).</param>
    public static IEndpointRouteBuilder MapFleetEndpoints(this IEndpointRouteBuilder app, bool shareKeyWithLocalBrowser)
    {
        app.MapGet("/fleet", (HttpContext context, IOptions<SiloOptions> silo) =>
        {
            // The page may carry the key: never let a cache keep it.
            context.Response.Headers.CacheControl = "no-store";
            return TypedResults.Content(FleetPage.Render(context, shareKeyWithLocalBrowser, silo.Value.AdminKey), "text/html; charset=utf-8");
        }).ExcludeFromDescription();
        app.MapGet("/fleet/workers", WorkersAsync).RequireAdmin().WithTags("Fleet page").WithName("FleetWorkers")
            .WithSummary("Every worker as the fleet page shows it: GPU, health, KV use, in flight, learned TTFT/TPOT next to measured, requests served.");
        return app;
    }

    internal static async Task<Ok<FleetRow[]>> WorkersAsync(IGrainFactory grains) =>
        TypedResults.Ok((await ControlEndpoints.SnapshotsAsync(grains))
            .Select(FleetRow.From)
            .OrderBy(r => r.Model, StringComparer.Ordinal).ThenBy(r => r.WorkerId, StringComparer.Ordinal)
            .ToArray());
}
