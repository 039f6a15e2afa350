namespace Dio.Sidecar.Telemetry;

/// <summary>The JSON of <c>GET /dio/telemetry</c>.</summary>
public sealed record SidecarTelemetry(double KvUsage, int Running, int Waiting, long PreemptionsTotal, double GenerationTokensPerSecond,
    DateTimeOffset TakenAt, int? NumGpuBlocks, int? BlockSize);
