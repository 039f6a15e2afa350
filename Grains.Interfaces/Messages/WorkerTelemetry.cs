namespace Dio.Grains;

/// <summary>One reading of a worker's engine state, scraped by its sidecar from vLLM's /metrics.</summary>
/// <param name="KvUsage">Fraction of KV blocks in use, 0–1 (<c>vllm:kv_cache_usage_perc</c>).</param>
/// <param name="Running">Sequences in the running batch (<c>vllm:num_requests_running</c>).</param>
/// <param name="Waiting">Requests queued in the engine (<c>vllm:num_requests_waiting</c>).</param>
/// <param name="PreemptionsTotal">Cumulative preemptions (<c>vllm:num_preemptions_total</c>).</param>
/// <param name="GenerationTokensPerSecond">Recent decode throughput, 0 when unknown (rate of <c>vllm:generation_tokens_total</c>).</param>
/// <param name="TakenAt">When the sidecar read the metrics; decides which leases the reading already covers.</param>
/// <param name="FreeVramMb">NVML free memory, 0 when unknown. Kept only for the faithful DIO policy: vLLM pre-allocates,
/// so it is no admission signal (ALGORITHMS.md §0.4).</param>
/// <param name="TotalVramMb">NVML total memory, 0 when unknown.</param>
[GenerateSerializer, Immutable, Alias("dio.worker-telemetry")]
public sealed record WorkerTelemetry(
    [property: Id(0)] double KvUsage,
    [property: Id(1)] int Running,
    [property: Id(2)] int Waiting,
    [property: Id(3)] long PreemptionsTotal,
    [property: Id(4)] double GenerationTokensPerSecond,
    [property: Id(5)] DateTimeOffset TakenAt,
    [property: Id(6)] double FreeVramMb = 0,
    [property: Id(7)] double TotalVramMb = 0);
