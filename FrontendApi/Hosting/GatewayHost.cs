using Dio.FrontendApi.Endpoints;
using Dio.FrontendApi.Endpoints.Docs;
using Dio.FrontendApi.Errors;
using Dio.FrontendApi.Fleet;
using Dio.FrontendApi.Inference;
using Dio.FrontendApi.Observability;
using Dio.FrontendApi.Routing;
using Dio.Grains.Scheduling;
using Dio.Silo.Cluster;
using Dio.Silo.Dashboard;
using Dio.Silo.Hosting;
using Dio.Silo.Registration;
using Dio.Silo.Tracing;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dio.FrontendApi.Hosting;

/// <summary>Builds the gateway: a silo embedded in this process (default, <c>Gateway:Mode=embedded</c>) or a client of a
/// cluster (<c>Gateway:Mode=cluster</c>, stateless, any number of replicas), the OpenAI endpoints, the control API,
/// Swagger, health and /metrics.</summary>
public static class GatewayHost
{
    private static readonly string[] ChattyLogCategories = ["Microsoft.AspNetCore", "System.Net.Http.HttpClient", "Orleans", "Polly"];

    public static WebApplication Build(GatewayLaunch launch, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(launch.HostArgs);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(GatewayLaunch.DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = InferenceProxy.MaxBodyBytes);
        // Nothing per request at Information, wherever the process runs (appsettings.json is not always beside it):
        // ASP.NET Core's hosting diagnostics, HttpClient (one telemetry poll per worker per second), Orleans and Polly
        // (a placement decision per grain activation) all log per event. Lowest priority: any configuration overrides it.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = ChattyLogCategories.Select(category => KeyValuePair.Create<string, string?>($"Logging:LogLevel:{category}", "Warning")),
        });

        configure?.Invoke(builder);
        var services = builder.Services;
        var mode = builder.Configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>()?.Mode ?? "embedded";
        switch (mode)
        {
            case "embedded":
                builder.AddDioSilo();
                break;
            case "cluster":
                builder.UseDioClusterClient();
                services.AddDioControlApi();
                services.AddDioTracing(builder.Configuration);
                break;
            default:
                throw new InvalidOperationException($"Gateway:Mode must be 'embedded' or 'cluster', got '{mode}'.");
        }

        services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.SectionName);
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LeaseRenewer>();
        services.AddHostedService(sp => sp.GetRequiredService<LeaseRenewer>());
        services.AddSingleton<IRoutingBackend, GrainRoutingBackend>();

        // vLLM servers without a sidecar: --worker URL (repeatable) and/or Gateway:Workers (Gateway__Workers__0=… in a container).
        IReadOnlyList<Uri> workers = [.. launch.Workers, .. ConfiguredWorkers(builder.Configuration)];
        if (workers.Count > 0)
        {
            services.AddHttpClient(nameof(StaticWorkers));
            services.AddHostedService(sp => ActivatorUtilities.CreateInstance<StaticWorkers>(sp, workers));
        }

        services.AddSingleton<ShutdownDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<ShutdownDrain>());
        // The host must outlast the drain and the last writes it allows, or it cuts them off itself.
        services.AddOptions<HostOptions>().Configure<Microsoft.Extensions.Options.IOptions<GatewayOptions>>((host, gateway) =>
            host.ShutdownTimeout = gateway.Value.DrainTimeout + TimeSpan.FromSeconds(10));
        services.AddSingleton<GatewayInstruments>();
        services.AddSingleton<InferenceProxy>();
        services.AddSingleton(_ => Dio.Sidecar.Forwarding.ForwardingInvoker.Create());
        services.AddHealthChecks();
        services.AddProblemDetails();
        services.AddDioSwagger();

        var app = builder.Build();
        app.UseExceptionHandler(errors => errors.Run(context =>
        {
            // A bug, never bad input: answer in OpenAI's shape without leaking the exception.
            var status = context.Features.Get<IExceptionHandlerFeature>()?.Error is BadHttpRequestException bad ? bad.StatusCode : 500;
            return OpenAiErrors.Error(status, status == 500 ? "Internal error in the DIO gateway." : "Bad request.", status == 500 ? "server_error" : "invalid_request_error",
                null, status == 500 ? "internal_error" : "bad_request").ExecuteAsync(context);
        }));
        // Statuses the framework answers by itself (415 from content-type matching, 404, 405) get OpenAI's shape too.
        app.UseStatusCodePages(context => context.HttpContext.Response.StatusCode switch
        {
            StatusCodes.Status415UnsupportedMediaType => OpenAiErrors.UnsupportedMediaType(context.HttpContext.Request.ContentType).ExecuteAsync(context.HttpContext),
            var status => OpenAiErrors.Error(status, $"{context.HttpContext.Request.Method} {context.HttpContext.Request.Path} answered {status}.",
                status >= 500 ? "server_error" : "invalid_request_error", null, $"http_{status}").ExecuteAsync(context.HttpContext),
        });
        app.UseSwagger();
        app.UseSwaggerUI(ui => ui.SwaggerEndpoint("/swagger/v1/swagger.json", "DIO gateway v1"));
        app.MapHealthChecks("/health/live");
        app.MapGet("/health/ready", async (IRoutingBackend backend, ShutdownDrain drain, CancellationToken cancellationToken) =>
            !drain.Draining && await backend.AnyHealthyAsync(cancellationToken) ? Results.Ok("ready") : Results.StatusCode(503))
            .ExcludeFromDescription();
        app.MapOpenAiEndpoints();
        app.MapFleetEndpoints(shareKeyWithLocalBrowser: launch.Demo);
        app.MapDioSilo();   // the control API works from any process that reaches the grains, a client included
        if (mode == "embedded")
        {
            app.MapDioDashboard();   // the dashboard needs a silo in this process
        }

        return app;
    }

    /// <summary>Gateway:Workers, each an absolute URL; anything else stops the start with a clear message.</summary>
    internal static IEnumerable<Uri> ConfiguredWorkers(IConfiguration configuration) =>
        configuration.GetSection("Gateway:Workers").GetChildren().Select(entry =>
            Uri.TryCreate(entry.Value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new InvalidOperationException($"Gateway:Workers:{entry.Key} must be an absolute http(s) URL, got '{entry.Value}'."));

    /// <summary>The address the gateway listens on (its first URL).</summary>
    public static Uri Address(WebApplication app) =>
        new(app.Urls.FirstOrDefault()?.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
            ?? GatewayLaunch.DefaultUrl);
}
