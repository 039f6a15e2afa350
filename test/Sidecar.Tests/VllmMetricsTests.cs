using Dio.Sidecar.Telemetry;

namespace Dio.Sidecar.Tests;

public sealed class VllmMetricsTests
{
    [Fact]
    public void Parse_V1Names_ReadsGaugesCountersAndCapacity()
    {
        const string text = """
            # HELP vllm:num_requests_running Number of requests in model execution batches.
            # TYPE vllm:num_requests_running gauge
            vllm:num_requests_running{model_name="m",engine="0"} 7.0
            vllm:num_requests_waiting{model_name="m",engine="0"} 3.0
            vllm:kv_cache_usage_perc{model_name="m",engine="0"} 0.42
            vllm:gpu_cache_usage_perc{model_name="m",engine="0"} 0.99
            vllm:cache_config_info{block_size="16",cache_dtype="auto",num_gpu_blocks="28904",model_name="m"} 1.0
            vllm:num_preemptions_total{model_name="m",engine="0"} 5.0
            vllm:generation_tokens_total{model_name="m",engine="0"} 12345.0
            vllm:time_to_first_token_seconds_sum{model_name="m",engine="0"} 3.5
            vllm:time_to_first_token_seconds_count{model_name="m",engine="0"} 10.0
            """;

        var metrics = VllmMetrics.Parse(text)!;

        Assert.Equal(0.42, metrics.KvUsage);   // the new name wins over the deprecated one
        Assert.Equal((7, 3), (metrics.Running, metrics.Waiting));
        Assert.Equal((28904, 16), (metrics.NumGpuBlocks!.Value, metrics.BlockSize!.Value));
        Assert.Equal(5, metrics.PreemptionsTotal);
        Assert.Equal(12345, metrics.GenerationTokensTotal);
        Assert.Equal((3.5, 10L), (metrics.TtftSumSeconds, metrics.TtftCount));
    }

    [Fact]
    public void Parse_OldVllm_FallsBackToGpuCacheUsage()
    {
        var metrics = VllmMetrics.Parse("vllm:num_requests_running{model_name=\"m\"} 1\nvllm:gpu_cache_usage_perc{model_name=\"m\"} 0.3\n")!;

        Assert.Equal(0.3, metrics.KvUsage);
        Assert.Null(metrics.NumGpuBlocks);
    }

    [Fact]
    public void Parse_DataParallelRanks_SumsCounts()
    {
        var metrics = VllmMetrics.Parse("""
            vllm:num_requests_running{engine="0"} 2
            vllm:num_requests_running{engine="1"} 5
            vllm:kv_cache_usage_perc{engine="0"} 0.2
            vllm:kv_cache_usage_perc{engine="1"} 0.6
            """)!;

        Assert.Equal(7, metrics.Running);
        Assert.Equal(0.6, metrics.KvUsage);   // the fullest rank decides what fits
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>not metrics</html>")]
    [InlineData("process_cpu_seconds_total 12.5")]
    public void Parse_NotVllm_IsNull(string text) => Assert.Null(VllmMetrics.Parse(text));
}
