using Dio.Sidecar.Forwarding;
using Dio.Sidecar.Registration;
using Dio.Sidecar.Telemetry;
using Microsoft.Extensions.Options;

namespace Dio.Sidecar.Hosting;

/// <summary>Builds the sidecar: the forwarder for everything vLLM serves, /dio/telemetry, health, the scraper and the registrar.</summary>
public static class SidecarHost
{
    /// <summary>Builds a sidecar.</summary>
    /// <param name="args">Command line (configuration).</param>
    /// <param name="configure">Overrides configuration (the demo and tests use it).</param>
    /// <param name="urls">Listen addresses, when not from configuration.</param>
    /// <param name="quiet">Only warnings and errors in the log (sidecars embedded in the demo).</param>
    public static WebApplication Build(string[] args, Action<SidecarOptions>? configure = null, IEnumerable<string>? urls = null, bool quiet = false)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        if (urls is not null)
        {
            builder.WebHost.UseUrls([.. urls]);
        }

        // A scrape a second would drown everything else in HttpClient request logs.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        if (quiet)
        {
            // Through configuration, so an appsettings.json in the content root cannot raise it again.
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
            builder.Configuration["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning";
        }
        builder.Services.AddOptions<SidecarOptions>().BindConfiguration(SidecarOptions.SectionName)
            .Configure(o => configure?.Invoke(o)).ValidateDataAnnotations().ValidateOnStart()
            .Validate(o => o.SiloUrl is null || o.PublicUrl is not null, "Sidecar:PublicUrl is required with Sidecar:SiloUrl.");
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TelemetryState>();
        builder.Services.AddHttpClient(MetricsScraper.ClientName, c => c.Timeout = TimeSpan.FromSeconds(2));
        builder.Services.AddHttpClient(SiloRegistrar.ClientName, c => c.Timeout = TimeSpan.FromSeconds(5));
        builder.Services.AddHostedService<MetricsScraper>();
        builder.Services.AddHostedService<SiloRegistrar>();
        builder.Services.AddSingleton(_ => ForwardingInvoker.Create());
        builder.Services.AddHttpForwarder();
        builder.Services.AddHealthChecks();

        var app = builder.Build();
        app.MapHealthChecks("/health/live");
        app.MapGet("/health/ready", (TelemetryState state) => state.UpstreamHealthy ? Results.Ok("ready") : Results.StatusCode(503));
        app.MapTelemetryEndpoints();
        app.MapUpstreamForwarding();
        return app;
    }
}
