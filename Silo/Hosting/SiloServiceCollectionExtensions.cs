using Dio.Grains.Hosting;
using Dio.Silo.Control;
using Dio.Silo.Health;
using Dio.Silo.Metrics;
using Dio.Silo.Storage;
using Dio.Silo.Storage.Redis;
using Dio.Silo.Telemetry;
using Microsoft.Extensions.Options;

namespace Dio.Silo.Hosting;

/// <summary>Wiring of the control plane, for the Silo host and for a frontend that embeds it.</summary>
public static class SiloServiceCollectionExtensions
{
    public static IServiceCollection AddDioSilo(this IServiceCollection services)
    {
        services.AddDioGrains();
        services.AddOptions<SiloOptions>().BindConfiguration(SiloOptions.SectionName).ValidateDataAnnotations().ValidateOnStart()
            .Validate(o => o.Storage != "redis" || !string.IsNullOrWhiteSpace(o.Redis), "Silo:Redis is required when Silo:Storage is redis.");
        services.AddSingleton<IWorkerStateStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SiloOptions>>().Value;
            return options.Storage == "redis"
                ? new RedisWorkerStateStore(new RespClient(RedisEndpoint.Parse(options.Redis!), sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILogger<RespClient>>()))
                : new MemoryWorkerStateStore();
        });
        services.AddHostedService<StatePersister>();
        services.AddSingleton<WorkerHealthMonitor>();
        services.AddSingleton<PrometheusMetrics>();
        services.AddHttpClient(TelemetryPoller.ClientName);
        services.AddHostedService<TelemetryPoller>();
        return services;
    }

    /// <summary>Maps the control API and /metrics (health endpoints are the host's).</summary>
    public static IEndpointRouteBuilder MapDioSilo(this IEndpointRouteBuilder app)
    {
        app.MapControlEndpoints();
        app.MapGet("/metrics", (PrometheusMetrics metrics) => Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"))
            .ExcludeFromDescription();
        return app;
    }
}
