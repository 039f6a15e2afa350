using OpenTelemetry.Metrics;

namespace Dio.Silo.Metrics;

/// <summary>
/// Metrics through OpenTelemetry with its Prometheus exporter, served on <c>/metrics</c> by every silo and frontend:
/// DIO's own meters (<c>Dio.*</c>), Orleans' (<c>Microsoft.Orleans</c>), ASP.NET Core's, HttpClient's and the
/// runtime's. Each process exports what it holds itself (a silo its grain activations, a frontend its requests), so
/// Prometheus scrapes them all. DIO's histograms carry their own buckets as instrument advice (LatencyBuckets);
/// <see cref="PrometheusConventions"/> and <see cref="OrleansSecondsBridge"/> bring the others to Prometheus' units.
/// </summary>
public static class DioTelemetry
{
    public static IServiceCollection AddDioMetrics(this IServiceCollection services)
    {
        services.AddHostedService<OrleansSecondsBridge>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("Dio.*", "Microsoft.Orleans")
            .AddView(PrometheusConventions.View)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));   // a scrape shows what happened until now
        return services;
    }

    public static IEndpointRouteBuilder MapDioMetrics(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics").ExcludeFromDescription();
        return app;
    }
}
