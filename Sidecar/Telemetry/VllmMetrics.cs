using System.Globalization;

namespace Dio.Sidecar.Telemetry;

/// <summary>
/// What a router needs from one scrape of vLLM's <c>/metrics</c> (ALGORITHMS.md §5.1). Reads the new and the old
/// names (<c>kv_cache_usage_perc</c> / <c>gpu_cache_usage_perc</c>, <c>inter_token_latency_seconds</c> /
/// <c>time_per_output_token_seconds</c>), preferring the new; <c>cache_config_info</c> carries the KV capacity.
/// Values are summed over label sets (one engine, or several data-parallel ranks).
/// </summary>
public sealed record VllmMetrics(
    double KvUsage,
    int Running,
    int Waiting,
    long PreemptionsTotal,
    long GenerationTokensTotal,
    int? NumGpuBlocks,
    int? BlockSize,
    double TtftSumSeconds,
    long TtftCount)
{
    /// <summary>Parses the Prometheus text format; unknown lines are ignored, a page without vLLM gauges gives null.</summary>
    public static VllmMetrics? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        double? kvNew = null, kvOld = null;
        double running = 0, waiting = 0, preemptions = 0, generation = 0, ttftSum = 0, ttftCount = 0;
        int? blocks = null, blockSize = null;
        var sawGauge = false;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.Trim();
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            var nameEnd = line.IndexOfAny('{', ' ');
            if (nameEnd <= 0)
            {
                continue;
            }

            var name = line[..nameEnd];
            var labels = line[nameEnd] == '{' ? line[(nameEnd + 1)..line.LastIndexOf('}')] : [];
            if (!double.TryParse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            switch (name)
            {
                case "vllm:kv_cache_usage_perc":
                    kvNew = Math.Max(kvNew ?? 0, value);
                    sawGauge = true;
                    break;
                case "vllm:gpu_cache_usage_perc":
                    kvOld = Math.Max(kvOld ?? 0, value);
                    sawGauge = true;
                    break;
                case "vllm:num_requests_running":
                    running += value;
                    sawGauge = true;
                    break;
                case "vllm:num_requests_waiting":
                    waiting += value;
                    break;
                case "vllm:num_preemptions_total":
                    preemptions += value;
                    break;
                case "vllm:generation_tokens_total":
                    generation += value;
                    break;
                case "vllm:time_to_first_token_seconds_sum":
                    ttftSum += value;
                    break;
                case "vllm:time_to_first_token_seconds_count":
                    ttftCount += value;
                    break;
                case "vllm:cache_config_info" or "vllm:cache_config":
                    blocks ??= IntLabel(labels, "num_gpu_blocks");
                    blockSize ??= IntLabel(labels, "block_size");
                    break;
            }
        }

        return sawGauge
            ? new VllmMetrics(kvNew ?? kvOld ?? 0, (int)running, (int)waiting, (long)preemptions, (long)generation, blocks, blockSize, ttftSum, (long)ttftCount)
            : null;
    }

    private static int? IntLabel(ReadOnlySpan<char> labels, string name)
    {
        var key = $"{name}=\"";
        var start = labels.IndexOf(key, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var rest = labels[(start + key.Length)..];
        var end = rest.IndexOf('"');
        return end > 0 && int.TryParse(rest[..end], NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
    }
}
