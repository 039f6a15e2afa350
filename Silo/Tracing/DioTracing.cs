using OpenTelemetry.Trace;

namespace Dio.Silo.Tracing;

/// <summary>
/// Traces through OpenTelemetry: one trace per request across the frontend (ASP.NET Core's server span, DIO's
/// <c>dio.route</c> span with the decision's score breakdown), the grain calls (Orleans' activity propagation) and
/// the forward to the worker (HttpClient's span, whose W3C <c>traceparent</c> the sidecar and vLLM receive).
/// Exported over OTLP only when an endpoint is configured (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, the standard
/// variable, or <c>OpenTelemetry:Otlp:Endpoint</c>): without one nothing listens, so the hot path creates no spans.
/// </summary>
public static class DioTracing
{
    /// <summary>DIO's own activity sources: <c>Dio.Gateway</c> and any later <c>Dio.*</c>.</summary>
    public const string Sources = "Dio.*";

    /// <summary>The OTLP endpoint traces go to; null when none is configured (then there is no tracing at all).</summary>
    public static string? Endpoint(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var endpoint = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] ?? configuration["OpenTelemetry:Otlp:Endpoint"];
        return string.IsNullOrWhiteSpace(endpoint) ? null : endpoint;
    }

    public static IServiceCollection AddDioTracing(this IServiceCollection services, IConfiguration configuration)
    {
        if (Endpoint(configuration) is not { } endpoint)
        {
            return services;
        }

        services.AddOpenTelemetry().WithTracing(tracing => tracing
            .AddSource(Sources, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
            .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/metrics")
                && !context.Request.Path.StartsWithSegments("/health"))
            .AddHttpClientInstrumentation()
            .AddOtlpExporter(o => o.Endpoint = new Uri(endpoint)));
        return services;
    }
}
