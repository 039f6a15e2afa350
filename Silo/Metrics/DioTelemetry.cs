using OpenTelemetry.Metrics;

namespace Dio.Silo.Metrics;

/// <summary>
/// Metrics through OpenTelemetry with its Prometheus exporter (no hand-written exposition format): DIO's own meters
/// (<c>Dio.*</c>) and Orleans' (<c>Microsoft.Orleans</c>), served on <c>/metrics</c> by every silo and frontend.
/// DIO's millisecond histograms get explicit buckets from 1 ms to 5 min (the default ones stop at 10 s).
/// </summary>
public static class DioTelemetry
{
    private static readonly double[] MillisecondBuckets = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000, 300_000];

    public static IServiceCollection AddDioMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("Dio.*", "Microsoft.Orleans")
            .AddView(instrument => instrument.Meter.Name.StartsWith("Dio.", StringComparison.Ordinal) && instrument.Unit == "ms"
                ? new ExplicitBucketHistogramConfiguration { Boundaries = MillisecondBuckets }
                : null)
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));   // a scrape shows what happened until now
        return services;
    }

    public static IEndpointRouteBuilder MapDioMetrics(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics").ExcludeFromDescription();
        return app;
    }
}
