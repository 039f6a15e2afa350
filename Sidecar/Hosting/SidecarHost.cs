using System.Net;
using Dio.Sidecar.Forwarding;
using Dio.Sidecar.Registration;
using Dio.Sidecar.Telemetry;
using Microsoft.Extensions.Options;

namespace Dio.Sidecar.Hosting;

/// <summary>Builds the sidecar: the forwarder for everything vLLM serves, /dio/telemetry, health, the scraper and the registrar.</summary>
public static class SidecarHost
{
    /// <summary>Builds a sidecar. <paramref name="configure"/> overrides configuration (the demo and tests use it).</summary>
    public static WebApplication Build(string[] args, Action<SidecarOptions>? configure = null, IEnumerable<string>? urls = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        if (urls is not null)
        {
            builder.WebHost.UseUrls([.. urls]);
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
        builder.Services.AddSingleton(_ => new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        }));
        builder.Services.AddSingleton<UpstreamForwarder>();
        builder.Services.AddHealthChecks();

        var app = builder.Build();
        app.MapHealthChecks("/health/live");
        app.MapGet("/health/ready", (TelemetryState state) => state.UpstreamHealthy ? Results.Ok("ready") : Results.StatusCode(503));
        app.MapTelemetryEndpoints();
        app.Map("/{**path}", (HttpContext context, UpstreamForwarder forwarder) => forwarder.ForwardAsync(context));
        return app;
    }
}
