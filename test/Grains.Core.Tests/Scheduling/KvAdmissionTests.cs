using Dio.Grains.Scheduling;

namespace Dio.Grains.Tests.Scheduling;

public sealed class KvAdmissionTests
{
    [Fact]
    public void BlocksNeeded_RoundsUpToWholeBlocks()
    {
        Assert.Equal(63, KvAdmission.BlocksNeeded(1000, 0, 16));   // 1000/16 = 62.5
        Assert.Equal(64, KvAdmission.BlocksNeeded(1000, 24, 16));
    }

    [Fact]
    public void IsFeasible_AppliesSafetyFactorAndHeadroom()
    {
        // G = 1000, h = 0.05 → 50 kept free; used 600, reserved 100 → 250 usable.
        var required = KvAdmission.RequiredBlocks(needBlocks: 200, totalBlocks: 1000, safetyFactor: 1.2, headroomFraction: 0.05);

        Assert.Equal(240, required, 9);
        Assert.True(KvAdmission.IsFeasible(required, 1000, 600, 100, 0.05));
        Assert.False(KvAdmission.IsFeasible(KvAdmission.RequiredBlocks(210, 1000, 1.2, 0.05), 1000, 600, 100, 0.05));
    }

    [Fact]
    public void RequiredBlocks_RequestNearlyAsLargeAsTheCache_StillFitsAnIdleWorker()
    {
        var required = KvAdmission.RequiredBlocks(needBlocks: 900, totalBlocks: 1000, safetyFactor: 1.2, headroomFraction: 0.05);

        Assert.True(KvAdmission.IsFeasible(required, 1000, 0, 0, 0.05));
        Assert.False(KvAdmission.IsFeasible(required, 1000, 1, 0, 0.05));
    }

    [Theory]
    [InlineData(0.5, false, 0)]
    [InlineData(0.8, false, 0)]
    [InlineData(0.875, false, 375)]   // 1000·0.075/0.2
    [InlineData(0.95, false, 750)]
    [InlineData(0.96, false, double.PositiveInfinity)]
    [InlineData(0.96, true, 1000)]
    public void MemoryPenalty_PiecewiseLinear(double utilization, bool idle, double expected)
    {
        Assert.Equal(expected, KvAdmission.MemoryPenaltyMs(utilization, 0.8, 0.95, idle), 9);
    }

    [Fact]
    public void QueueWait_BelowConcurrency_IsZero_AboveIsLittlesLaw()
    {
        Assert.Equal(0, QueueWait.EstimateMs(inFlight: 5, concurrency: 8, meanServiceMs: 1000));
        Assert.Equal(375, QueueWait.EstimateMs(inFlight: 10, concurrency: 8, meanServiceMs: 1000), 9);   // 3·1000/8
        Assert.Equal(16, QueueWait.EffectiveConcurrency(maxNumSeqs: 256, kvCapacityTokens: 38_400, 2000, 400));
        Assert.Equal(256, QueueWait.EffectiveConcurrency(256, 462_000, 1000, 250));
    }

    [Fact]
    public void Architectures_KvBytesPerToken_MatchTheConfigs()
    {
        Assert.Equal(131_072, ModelArchitectures.Llama3With8B.KvBytesPerToken);   // 2·32·8·128·2
        Assert.Equal(524_288, ModelArchitectures.Llama2With7B.KvBytesPerToken);   // MHA: 4× larger
        Assert.Equal(57_344, ModelArchitectures.Qwen25With7B.KvBytesPerToken);    // 2·28·4·128·2
        Assert.Same(ModelArchitectures.Llama3With8B, ModelArchitectures.Find("meta-llama/Meta-Llama-3-8B-Instruct"));
        Assert.Same(ModelArchitectures.Llama3With70B, ModelArchitectures.Find("meta-llama/Llama-3.1-70B-Instruct"));
        Assert.Null(ModelArchitectures.Find("some-unknown-model"));

        var custom = new ModelArchitecture("tiny", 2, 2, 64);
        Assert.Same(custom, ModelArchitectures.Find("my-model", new Dictionary<string, ModelArchitecture> { ["my-model"] = custom }));
    }

    [Fact]
    public void BlocksIn_RtxExampleFromVllmLog()
    {
        // vllm#10517: 3.81 GiB of KV for Llama-3.1-8B at block 16 → vLLM reported 1952 blocks.
        var blocks = ModelArchitectures.Llama3With8B.BlocksIn((long)(3.81 * 1024 * 1024 * 1024), 16);

        Assert.InRange(blocks, 1940, 1960);
    }
}
