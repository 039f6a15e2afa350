namespace Dio.Sidecar.Telemetry;

/// <summary><c>GET /dio/telemetry</c>: the latest reading, polled by the silo when the worker is idle.</summary>
internal static class TelemetryEndpoints
{
    public static void MapTelemetryEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/dio/telemetry", (TelemetryState state) =>
            state.Latest is { } reading && state.UpstreamHealthy
                ? Results.Ok(new SidecarTelemetry(reading.Metrics.KvUsage, reading.Metrics.Running, reading.Metrics.Waiting,
                    reading.Metrics.PreemptionsTotal, reading.GenerationTokensPerSecond, reading.TakenAt, reading.Metrics.NumGpuBlocks,
                    reading.Metrics.BlockSize))
                : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "vLLM is not answering its /metrics"));
}
