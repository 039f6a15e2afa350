using Dio.Grains.Workers;

namespace Dio.Grains.Tests.Workers;

/// <summary>The health rules on their own.</summary>
public sealed class WorkerHealthTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly WorkerHealth _sut = new(HealthRules.Default);

    [Fact]
    public void ThreeFailedPolls_Unhealthy_TwoAreNot()
    {
        _sut.OnPollFailed();
        _sut.OnPollFailed();
        Assert.True(_sut.Healthy);

        Assert.True(_sut.OnPollFailed());   // the verdict changed
        Assert.False(_sut.Healthy);
    }

    [Fact]
    public void TwoTransportFailures_Unhealthy_OneAloneIsNot()
    {
        _sut.OnTransportFailure(Now);
        Assert.True(_sut.Healthy);

        _sut.OnTransportFailure(Now);
        Assert.False(_sut.Healthy);
    }

    [Fact]
    public void OneTransportFailureAndOneFailedPoll_Unhealthy()
    {
        _sut.OnTransportFailure(Now);
        _sut.OnPollFailed();

        Assert.False(_sut.Healthy);
    }

    [Fact]
    public void ReadingOlderThanTheFailure_DoesNotClearIt_AFreshOneDoes()
    {
        _sut.OnTransportFailure(Now);
        _sut.OnReading(Now.AddSeconds(-1));   // taken before the failure
        _sut.OnPollFailed();
        Assert.False(_sut.Healthy);

        Assert.True(_sut.OnReading(Now.AddSeconds(1)));
        Assert.True(_sut.Healthy);
    }
}
