using Dio.Grains.Fleet;
using Dio.Grains.Tests.Support;
using Dio.Grains.Workers;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Dio.Grains.Tests;

/// <summary>Every message and persisted shape round-trips through the cluster's own serializer: a type that lacks a
/// codec compiles and fails only at run time, so each is checked here.</summary>
public sealed class SerializationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private DioTestCluster _cluster = null!;
    private Serializer _serializer = null!;

    public async Task InitializeAsync()
    {
        _cluster = await DioTestCluster.StartAsync();
        _serializer = _cluster.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private T RoundTrip<T>(T value) => _serializer.Deserialize<T>(_serializer.SerializeToArray(value))!;

    private static PredictorView Predictor => Workers.LatencyModelViews.Prior with
    {
        TtftCoefficients = Vector4.Of(1, 2, 3, 4), TpotCoefficients = Vector4.Of(5, double.NaN, 7), Observations = 9,
    };

    [Fact]
    public void Messages_RoundTrip()
    {
        var registration = DioTestCluster.Registration("w1");
        var telemetry = new WorkerTelemetry(0.5, 3, 1, 7, 120.5, At, 1000, 80_000);
        var request = new RouteRequest("m", 10, 40, 256, RequestTier.Batch, 1500, new ulong[] { 1, 2, ulong.MaxValue }, "large", ["w2", "w3"]);
        var outcome = new RouteOutcome(RouteVerdict.Routed, "w1", "http://w1", Guid.NewGuid(), 12.5, 900, new ScoreBreakdown(1, 2, 3, 4, 5),
            ShedReason.None, TimeSpan.FromSeconds(3), 10, 8192);
        var report = new CompletionReport("w1", Guid.NewGuid(), CompletionKind.FailedMidStream, 10, 20, 30, 40);
        var sample = new LearningSample(CompletionKind.Success, Vector4.Of(1, 2), Vector4.Of(3, 4), 5, 6, 7, 8, 9, 10);
        var view = new WorkerView(638_000_000_000_000_000, 42, registration, false, telemetry, Predictor);

        Assert.Equal(registration, RoundTrip(registration));
        Assert.Equal(telemetry, RoundTrip(telemetry));
        Assert.Equal(Predictor, RoundTrip(Predictor));
        Assert.Equal(view, RoundTrip(view));
        Assert.Equal(outcome, RoundTrip(outcome));
        Assert.Equal(report, RoundTrip(report));
        Assert.Equal(sample, RoundTrip(sample));
        Assert.Equal(new FleetEntry("w1", "m", RegistrationSource.Configuration, false), RoundTrip(new FleetEntry("w1", "m", RegistrationSource.Configuration, false)));

        var copy = RoundTrip(request);
        Assert.Equal(request.PrefixBlocks.ToArray(), copy.PrefixBlocks.ToArray());
        Assert.Equal(request.ExcludedWorkers, copy.ExcludedWorkers);
        Assert.Equal(request with { PrefixBlocks = default, ExcludedWorkers = null }, copy with { PrefixBlocks = default, ExcludedWorkers = null });
    }

    [Fact]
    public void StatusAndSnapshots_RoundTrip()
    {
        var status = new PoolStatus("m", "dio", 2, 3, 4, 5, new Dictionary<string, WorkerLeases> { ["w1"] = new(2, 30) });
        var snapshot = new WorkerSnapshot(DioTestCluster.Registration("w1"), true, null, 1, 2, 3, 4, 5, 6, At, 7, 8, 9, 10);

        var copy = RoundTrip(status);

        Assert.Equal(status with { Leases = copy.Leases }, copy);
        Assert.Equal(new WorkerLeases(2, 30), copy.Leases["w1"]);
        Assert.Equal(snapshot, RoundTrip(snapshot));
    }

    [Fact]
    public void PersistedState_RoundTrips()
    {
        var learner = new WorkerLearner();
        learner.Learn(new LearningSample(CompletionKind.Success, Vector4.Of(1, 1), Vector4.Of(1, 0.1), 0, 900, 80, 1000, 1000, 100), 0);
        var worker = new WorkerGrainState { Registration = DioTestCluster.Registration("w1"), Source = RegistrationSource.Sidecar, Learned = learner.Export() };
        var fleet = new FleetRegistryState { Workers = { ["w1"] = new FleetEntry("w1", "m", RegistrationSource.Sidecar) } };

        var restored = new WorkerLearner();
        restored.Import(RoundTrip(worker).Learned!);

        Assert.Equal(learner.View, restored.View);
        Assert.Equal(worker.Registration, RoundTrip(worker).Registration);
        Assert.Equal(fleet.Workers["w1"], RoundTrip(fleet).Workers["w1"]);
    }
}
