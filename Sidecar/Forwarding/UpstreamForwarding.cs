using System.Globalization;
using Dio.Sidecar.Hosting;
using Dio.Sidecar.Telemetry;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Dio.Sidecar.Forwarding;

/// <summary>
/// Forwards every other request to the vLLM beside us with YARP's direct forwarding: unchanged, streamed both ways,
/// hop-by-hop headers dropped, one shared invoker. One response transform adds the latest telemetry as headers, so
/// the gateway learns the engine's state on every answer. vLLM is never modified. A forward that fails (vLLM
/// unreachable, or its stream broke) stops the sidecar vouching for vLLM until the next scrape shows it answering.
/// </summary>
internal static class UpstreamForwarding
{
    public static WebApplication MapUpstreamForwarding(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<SidecarOptions>>().Value;
        var telemetry = app.Services.GetRequiredService<TelemetryState>();
        var transformer = app.Services.GetRequiredService<ITransformBuilder>().Create(transforms =>
            transforms.AddResponseTransform(context =>
            {
                AddTelemetryHeaders(context.HttpContext.Response.Headers, telemetry);
                return ValueTask.CompletedTask;
            }));
        app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Features.Get<IForwarderErrorFeature>() is { } failure && IsVllmsFault(failure.Error))
            {
                telemetry.MarkFailed();
            }
        });
        app.MapForwarder("/{**path}", options.Upstream!.ToString(), ForwarderRequestConfig.Empty, transformer,
            app.Services.GetRequiredService<HttpMessageInvoker>());
        return app;
    }

    /// <summary>vLLM could not be reached, answered nothing in time, or broke its stream; a client that left is not vLLM's fault.</summary>
    private static bool IsVllmsFault(ForwarderError error) =>
        error is ForwarderError.Request or ForwarderError.RequestTimedOut or ForwarderError.ResponseHeaders or ForwarderError.ResponseBodyDestination;

    private static void AddTelemetryHeaders(IHeaderDictionary headers, TelemetryState telemetry)
    {
        if (telemetry.Latest is not { } reading)
        {
            return;
        }

        var m = reading.Metrics;
        headers[TelemetryHeaders.KvUsage] = m.KvUsage.ToString("0.####", CultureInfo.InvariantCulture);
        headers[TelemetryHeaders.Running] = m.Running.ToString(CultureInfo.InvariantCulture);
        headers[TelemetryHeaders.Waiting] = m.Waiting.ToString(CultureInfo.InvariantCulture);
        headers[TelemetryHeaders.Preemptions] = m.PreemptionsTotal.ToString(CultureInfo.InvariantCulture);
        headers[TelemetryHeaders.TakenAt] = reading.TakenAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        if (m.NumGpuBlocks is { } blocks)
        {
            headers[TelemetryHeaders.GpuBlocks] = blocks.ToString(CultureInfo.InvariantCulture);
        }

        if (m.BlockSize is { } blockSize)
        {
            headers[TelemetryHeaders.BlockSize] = blockSize.ToString(CultureInfo.InvariantCulture);
        }
    }
}
