using Dio.Grains.Hosting;
using Dio.Grains.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Hosting;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace Dio.Grains.Tests.Support;

/// <summary>
/// DIO's grains in an in-process Orleans test cluster on a fake clock: grain timers (telemetry polls, persistence,
/// the lease reaper, the fleet keeper) fire only when the test advances <see cref="Time"/>; Orleans' own loops stay
/// on real time. Storage is memory, or a real redis-server when given one (so that state outlives a silo).
/// </summary>
public sealed class DioTestCluster : IAsyncDisposable
{
    public const string Model = "llama-3-8b";

    private DioTestCluster(InProcessTestCluster cluster, FakeTimeProvider time)
    {
        Cluster = cluster;
        Time = time;
    }

    public InProcessTestCluster Cluster { get; }

    public FakeTimeProvider Time { get; }

    public IGrainFactory Grains => Cluster.Client;

    public IRouterGrain Router => Grains.GetGrain<IRouterGrain>(Model);

    public static async Task<DioTestCluster> StartAsync(int silos = 1, string? redis = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            if (redis is null)
            {
                silo.AddMemoryGrainStorage(StorageNames.Dio);
            }
            else
            {
                silo.AddRedisGrainStorage(StorageNames.Dio, o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
            }

            silo.AddDioGrains();
            silo.Services.AddSingleton<TimeProvider>(time);
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            // The workers below are fictitious (nothing answers their polls): failed polls must not judge them.
            silo.Services.Configure<WorkerGrainOptions>(o => o.FailedPollsToUnhealthy = 100);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new DioTestCluster(cluster, time);
    }

    public static WorkerRegistration Registration(string id, int blocks = 1000) =>
        new(id, $"http://127.0.0.1:9/{id}", Model, "A100-80GB", 8192, blocks, 16, 256, "small");

    public async Task<WorkerSnapshot> RegisterAsync(string id, int blocks = 1000) =>
        await Grains.GetGrain<IWorkerGrain>(id).RegisterAsync(Registration(id, blocks), RegistrationSource.Operator);

    /// <summary>Waits for something the cluster does on its own after a one-way message (bounded; real time only
    /// elapses in Orleans' message loops, never in the assertion).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 500; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"Timed out waiting for: {what}");
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
