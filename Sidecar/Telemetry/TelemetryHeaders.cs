namespace Dio.Sidecar.Telemetry;

/// <summary>The compact telemetry the sidecar piggybacks on every proxied response (ALGORITHMS.md §5.1).</summary>
public static class TelemetryHeaders
{
    public const string KvUsage = "X-DIO-KV-Usage";
    public const string Running = "X-DIO-Running";
    public const string Waiting = "X-DIO-Waiting";
    public const string GpuBlocks = "X-DIO-GPU-Blocks";
    public const string BlockSize = "X-DIO-Block-Size";
    public const string Preemptions = "X-DIO-Preemptions";

    /// <summary>When the sidecar read these values (Unix milliseconds), so the silo knows which reservations they cover.</summary>
    public const string TakenAt = "X-DIO-Taken-At";
}
