namespace Dio.FrontendApi.Hosting;

/// <summary>Section "Gateway"; environment variables Gateway__*.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>"embedded" (default: a silo runs in this process, the one-command demo) or "cluster" (this process is a
    /// stateless Orleans client of the silos named by <c>Cluster:*</c>; run as many as you like).</summary>
    public string Mode { get; set; } = "embedded";

    /// <summary>vLLM servers without a sidecar to register (<c>Gateway__Workers__0=http://gpu-a100:8000</c>); the same as
    /// <c>--worker URL</c>.</summary>
    public List<string> Workers { get; } = [];

    /// <summary>A worker that has not sent its first byte within this many times its predicted time (TTFT for a stream,
    /// end-to-end for a plain answer) is given up: the request is retried on another worker and the stall counts
    /// against the worker's health. Default: 4.</summary>
    [System.ComponentModel.DataAnnotations.Range(1.0, 100.0)]
    public double FirstByteTimeoutMargin { get; set; } = 4;

    /// <summary>The first-byte timeout is never shorter than this (a cold worker's prediction is a generic prior). Default: 10 s.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan FirstByteTimeoutMin { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first-byte timeout is never longer than this. Default: 300 s.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FirstByteTimeoutMax { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>After its first byte, a worker silent this long is given up: the client's stream ends with an SSE error
    /// event and <c>[DONE]</c> (a plain answer is aborted), and the stall counts against the worker. Default: 60 s.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan StreamActivityTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>At shutdown, how long requests in flight may finish after readiness turns false and new requests are
    /// refused; streams still open then end with an SSE error event and <c>[DONE]</c>. Keep it below the orchestrator's
    /// grace period (Kubernetes and Azure Container Apps: 30 s). Default: 25 s.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>How long to wait for the first byte of a request the router predicted at <paramref name="predictedMs"/>.</summary>
    public TimeSpan FirstByteTimeout(double predictedMs)
    {
        var margin = TimeSpan.FromMilliseconds(Math.Max(0, predictedMs) * FirstByteTimeoutMargin);
        return margin < FirstByteTimeoutMin ? FirstByteTimeoutMin : margin > FirstByteTimeoutMax ? FirstByteTimeoutMax : margin;
    }
}
