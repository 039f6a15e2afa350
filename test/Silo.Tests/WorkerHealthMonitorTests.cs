using Dio.Grains;
using Dio.Grains.Routing;
using Dio.Grains.Scheduling;
using Dio.Silo.Health;
using Dio.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace Dio.Silo.Tests;

/// <summary>The health rules on their own, on a fixed clock.</summary>
public sealed class WorkerHealthMonitorTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly GrainDirectory _grains = new(new SchedulerOptions(), new FixedClock());
    private readonly WorkerHealthMonitor _sut;

    public WorkerHealthMonitorTests()
    {
        _sut = new WorkerHealthMonitor(_grains, Options.Create(new SiloOptions()), new FixedClock());
        _grains.GetWorker("w").RegisterAsync(new WorkerRegistration("w", "http://w", "m", "L4", 8192, 1000, 16, 256, "small")).AsTask().Wait();
    }

    [Fact]
    public async Task ThreeFailedPolls_Unhealthy_TwoAreNot()
    {
        await _sut.OnPollAsync("w", null);
        await _sut.OnPollAsync("w", null);
        Assert.True(await HealthyAsync());

        await _sut.OnPollAsync("w", null);
        Assert.False(await HealthyAsync());
    }

    [Fact]
    public async Task TwoTransportFailures_Unhealthy_OneAloneIsNot()
    {
        await _sut.OnTransportFailureAsync("w");
        Assert.True(await HealthyAsync());

        await _sut.OnTransportFailureAsync("w");
        Assert.False(await HealthyAsync());
    }

    [Fact]
    public async Task OneTransportFailureAndOneFailedPoll_Unhealthy()
    {
        await _sut.OnTransportFailureAsync("w");
        await _sut.OnPollAsync("w", null);

        Assert.False(await HealthyAsync());
    }

    [Fact]
    public async Task ReadingOlderThanTheFailure_DoesNotClearIt_AFreshOneDoes()
    {
        await _sut.OnTransportFailureAsync("w");
        await _sut.OnPollAsync("w", Now.AddSeconds(-1));   // taken before the failure
        await _sut.OnPollAsync("w", null);
        Assert.False(await HealthyAsync());

        await _sut.OnPollAsync("w", Now.AddSeconds(1));
        Assert.True(await HealthyAsync());
    }

    private async Task<bool> HealthyAsync() => (await _grains.GetWorker("w").GetSnapshotAsync())!.Healthy;

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
