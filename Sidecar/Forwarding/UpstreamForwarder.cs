using System.Globalization;
using Dio.Sidecar.Hosting;
using Dio.Sidecar.Telemetry;
using Microsoft.Extensions.Options;

namespace Dio.Sidecar.Forwarding;

/// <summary>
/// Forwards a request to the vLLM beside us unchanged and streams the answer back as it comes, adding the latest
/// telemetry as response headers (YARP's direct-forwarding shape: one shared invoker, no buffering, hop-by-hop
/// headers dropped). vLLM is never modified.
/// </summary>
internal sealed class UpstreamForwarder(HttpMessageInvoker invoker, IOptions<SidecarOptions> options, TelemetryState telemetry)
{
    private readonly Uri _upstream = options.Value.Upstream!;

    public async Task ForwardAsync(HttpContext context)
    {
        var target = new Uri(_upstream, context.Request.Path + context.Request.QueryString);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
        }

        HopByHopHeaders.CopyRequestHeaders(context.Request, request);
        HttpResponseMessage response;
        try
        {
            response = await invoker.SendAsync(request, context.RequestAborted);
        }
        catch (HttpRequestException e)
        {
            telemetry.MarkFailed();
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            await context.Response.WriteAsJsonAsync(new { error = new { message = $"vLLM unreachable: {e.Message}", type = "upstream_error", code = 502 } });
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            HopByHopHeaders.CopyResponseHeaders(response, context.Response);
            AddTelemetryHeaders(context.Response.Headers);
            await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            try
            {
                await StreamCopier.CopyFlushingAsync(body, context.Response.Body, context.RequestAborted);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !context.RequestAborted.IsCancellationRequested)
            {
                // vLLM dropped the stream: drop ours too, so the gateway sees the same failure, and stop vouching for
                // vLLM until the next scrape shows it answering again.
                telemetry.MarkFailed();
                context.Abort();
            }
        }
    }

    private void AddTelemetryHeaders(IHeaderDictionary headers)
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
