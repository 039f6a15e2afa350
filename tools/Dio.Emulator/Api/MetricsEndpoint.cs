using System.Globalization;
using System.Text;
using Dio.Emulator.Engine.Engine;
using Dio.Emulator.Serving;

namespace Dio.Emulator.Api;

/// <summary>
/// <c>GET /metrics</c> in the Prometheus text format with vLLM V1's names and labels (ALGORITHMS.md §5.1), including
/// both KV names (<c>kv_cache_usage_perc</c> and the older <c>gpu_cache_usage_perc</c>) and <c>cache_config_info</c>
/// carrying num_gpu_blocks and block_size, which is where a sidecar reads the KV capacity.
/// </summary>
internal static class MetricsEndpoint
{
    public static void MapMetricsEndpoint(this IEndpointRouteBuilder app) =>
        app.MapGet("/metrics", async (HttpContext context, EmulatedFleet fleet) =>
        {
            var server = fleet.For(context)!;
            if (!await FaultGate.BlockAsync(server, context))   // a crashed or hung server does not answer its metrics either
            {
                await Results.Text(Render(server), "text/plain; version=0.0.4; charset=utf-8").ExecuteAsync(context);
            }
        });

    public static string Render(EmulatedServer server) => server.Read(engine =>
    {
        var labels = $"model_name=\"{server.Model}\",engine=\"0\"";
        var text = new StringBuilder();
        Gauge(text, "vllm:num_requests_running", "Number of requests in model execution batches.", labels, engine.Running);
        Gauge(text, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", labels, engine.Waiting);
        Gauge(text, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", labels, engine.KvUsage);
        Gauge(text, "vllm:gpu_cache_usage_perc", "GPU KV-cache usage. 1 means 100 percent usage. DEPRECATED: use vllm:kv_cache_usage_perc.", labels, engine.KvUsage);
        var options = engine.Options;
        Gauge(text, "vllm:cache_config_info", "Information of the LLMEngine CacheConfig",
            $"block_size=\"{options.BlockSize}\",cache_dtype=\"auto\",enable_prefix_caching=\"{options.PrefixCaching}\"," +
            $"gpu_memory_utilization=\"{F(options.MemoryUtilization)}\",num_gpu_blocks=\"{engine.NumGpuBlocks}\",{labels}", 1);
        var counters = engine.Counters;
        Counter(text, "vllm:num_preemptions", "Cumulative number of preemption from the engine.", labels, counters.Preemptions);
        Counter(text, "vllm:prompt_tokens", "Number of prefill tokens processed.", labels, counters.PromptTokens);
        Counter(text, "vllm:generation_tokens", "Number of generation tokens processed.", labels, counters.GenerationTokens);
        Counter(text, "vllm:prefix_cache_queries", "Prefix cache queries, in terms of number of queried tokens.", labels, counters.PrefixCacheQueries);
        Counter(text, "vllm:prefix_cache_hits", "Prefix cache hits, in terms of number of cached tokens.", labels, counters.PrefixCacheHits);
        Counter(text, "vllm:request_success", "Count of successfully processed requests.", $"{labels},finished_reason=\"length\"", counters.Finished);
        text.Append(CultureInfo.InvariantCulture,
            $"# HELP dio_emulator_busy_seconds_total Engine seconds spent in steps (emulator only).\n# TYPE dio_emulator_busy_seconds_total counter\ndio_emulator_busy_seconds_total{{{labels}}} {F(counters.BusySeconds)}\n");
        Histogram(text, "vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", labels, counters.TimeToFirstToken);
        Histogram(text, "vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", labels, counters.InterTokenLatency);
        Histogram(text, "vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", labels, counters.EndToEnd);
        return text.ToString();
    });

    private static void Gauge(StringBuilder text, string name, string help, string labels, double value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n{name}{{{labels}}} {F(value)}\n");

    private static void Counter(StringBuilder text, string name, string help, string labels, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name}_total {help}\n# TYPE {name}_total counter\n{name}_total{{{labels}}} {value}\n");

    private static void Histogram(StringBuilder text, string name, string help, string labels, Histogram histogram)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} histogram\n");
        for (var i = 0; i < histogram.UpperBounds.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels},le=\"{F(histogram.UpperBounds[i])}\"}} {histogram.CumulativeCount(i)}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels},le=\"+Inf\"}} {histogram.Count}\n");
        text.Append(CultureInfo.InvariantCulture, $"{name}_sum{{{labels}}} {F(histogram.Sum)}\n{name}_count{{{labels}}} {histogram.Count}\n");
    }

    private static string F(double value) => value.ToString("0.0###############", CultureInfo.InvariantCulture);
}
