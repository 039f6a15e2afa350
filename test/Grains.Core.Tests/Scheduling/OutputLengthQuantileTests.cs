using Dio.Grains.Scheduling;

namespace Dio.Grains.Tests.Scheduling;

public sealed class OutputLengthQuantileTests
{
    [Fact]
    public void Quantiles_UniformLengths_WithinBucketWidth()
    {
        var sut = new OutputLengthQuantile();
        var random = new Random(1);

        for (var i = 0; i < 3000; i++)
        {
            sut.Add(random.Next(1, 1001));   // uniform 1..1000: median 500, p90 900
        }

        Assert.InRange(sut.Median, 500, 500 * 1.08 + 1);
        Assert.InRange(sut.P90, 900, 900 * 1.08 + 1);
    }

    [Fact]
    public void IsReady_AfterTwentySamples()
    {
        var sut = new OutputLengthQuantile();
        for (var i = 0; i < OutputLengthQuantile.MinimumSamples - 1; i++)
        {
            sut.Add(100);
        }

        Assert.False(sut.IsReady);
        sut.Add(100);
        Assert.True(sut.IsReady);
    }

    [Fact]
    public void Quantiles_WorkloadShifts_FollowTheNewLengths()
    {
        var sut = new OutputLengthQuantile();
        for (var i = 0; i < 5000; i++)
        {
            sut.Add(50);
        }

        for (var i = 0; i < 20_000; i++)
        {
            sut.Add(800);
        }

        Assert.InRange(sut.Median, 800, 870);
    }
}
