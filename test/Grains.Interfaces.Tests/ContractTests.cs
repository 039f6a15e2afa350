using Dio.Grains;

namespace Dio.Grains.Interfaces.Tests;

public sealed class ContractTests
{
    [Fact]
    public void KvCapacityTokens_BlocksTimesBlockSize_DoesNotOverflowInt()
    {
        var registration = new WorkerRegistration("w", "http://w", "m", "H200", 131_072, NumGpuBlocks: 200_000_000,
            BlockSize: 16, MaxNumSeqs: 1024, Tier: "large");

        Assert.Equal(3_200_000_000L, registration.KvCapacityTokens);
    }

    [Fact]
    public void ScoreTotal_SubtractsCacheCredit()
    {
        var score = new ScoreBreakdown(WaitMs: 10, ServiceMs: 100, TierMs: 500, MemoryMs: 25, CacheMs: 40);

        Assert.Equal(595, score.TotalMs);
    }

    [Fact]
    public void RouteOutcome_Default_IsRoutedWithNoWorker()
    {
        // A default outcome must never look like a usable decision: callers check WorkerId as well as the verdict.
        var outcome = default(RouteOutcome);

        Assert.Equal(RouteVerdict.Routed, outcome.Verdict);
        Assert.Null(outcome.WorkerId);
        Assert.Equal(Guid.Empty, outcome.LeaseId);
    }

    [Fact]
    public void Records_WithSameValues_AreEqual()
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(new WorkerTelemetry(0.5, 3, 1, 7, 120, at), new WorkerTelemetry(0.5, 3, 1, 7, 120, at));
        Assert.NotEqual(new WorkerTelemetry(0.5, 3, 1, 7, 120, at), new WorkerTelemetry(0.5, 3, 2, 7, 120, at));
    }
}
