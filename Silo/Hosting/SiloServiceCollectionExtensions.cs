using Dio.Silo.Cluster;
using Dio.Silo.Control;
using Dio.Silo.Metrics;
using Dio.Silo.Tracing;

namespace Dio.Silo.Hosting;

/// <summary>Wiring of the control plane, for the Silo host and for a frontend that embeds a silo.</summary>
public static class SiloServiceCollectionExtensions
{
    /// <summary>An Orleans silo with DIO's grains (<see cref="ClusterHosting.UseDioSilo"/>), the control API's options and metrics.</summary>
    public static IHostApplicationBuilder AddDioSilo(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseDioSilo();
        builder.Services.AddDioControlApi();
        builder.Services.AddDioTracing(builder.Configuration);
        return builder;
    }

    /// <summary>What the control API needs from any host that can reach the grains (a silo, or a cluster client).</summary>
    public static IServiceCollection AddDioControlApi(this IServiceCollection services)
    {
        services.AddOptions<SiloOptions>().BindConfiguration(SiloOptions.SectionName);
        services.AddDioMetrics();
        return services;
    }

    /// <summary>Maps the control API and /metrics (health endpoints are the host's).</summary>
    public static IEndpointRouteBuilder MapDioSilo(this IEndpointRouteBuilder app)
    {
        app.MapControlEndpoints();
        app.MapDioMetrics();
        return app;
    }
}
