using Dio.Grains;
using Dio.Grains.Routing;
using Dio.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace Dio.Silo.Storage;

/// <summary>
/// Restores every persisted worker grain before the silo serves (registrations and learned predictors), then
/// writes back, once per period, the grains that changed and deletes the ones that left: write-behind, so no
/// request ever waits on Redis.
/// </summary>
internal sealed partial class StatePersister(IGrainDirectory grains, IWorkerStateStore store, IOptions<SiloOptions> options, TimeProvider time,
    ILogger<StatePersister> logger) : BackgroundService
{
    private readonly Dictionary<string, long> _saved = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _flushing = new(1, 1);   // the tick and StopAsync (which a host may call twice) never overlap

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var directory = (GrainDirectory)grains;
        var states = await store.LoadAllAsync(cancellationToken);
        foreach (var state in states)
        {
            var worker = directory.GetWorkerGrain(state.Registration.WorkerId);
            await worker.RestoreAsync(state, cancellationToken);
            _saved[state.Registration.WorkerId] = worker.StateVersion;
        }

        LogRestored(logger, states.Count);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await FlushAsync(cancellationToken);   // what was learned since the last write survives a clean shutdown too
        }
        catch (Exception e) when (e is Storage.Redis.RedisException or ObjectDisposedException or OperationCanceledException)
        {
            LogPersistFailed(logger, e.Message);   // best effort: the periodic writes already hold all but the last second
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PersistInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await FlushAsync(stoppingToken);
            }
            catch (Storage.Redis.RedisException e)
            {
                LogPersistFailed(logger, e.Message);   // keep serving; the next tick tries again
            }
        }
    }

    internal async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            await FlushChangesAsync(cancellationToken);
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task FlushChangesAsync(CancellationToken cancellationToken)
    {
        var changed = new List<Grains.Workers.WorkerGrainState>();
        var versions = new List<(string Id, long Version)>();
        var removed = new List<string>();
        foreach (var worker in ((GrainDirectory)grains).WorkerGrains)
        {
            var version = worker.StateVersion;
            if (!worker.IsRegistered)
            {
                if (_saved.Remove(worker.WorkerId))
                {
                    removed.Add(worker.WorkerId);
                }

                continue;
            }

            if (_saved.GetValueOrDefault(worker.WorkerId, -1) != version && worker.ExportState() is { } state)
            {
                changed.Add(state);
                versions.Add((worker.WorkerId, version));
            }
        }

        await store.SaveAsync(changed, cancellationToken);
        await store.DeleteAsync(removed, cancellationToken);
        foreach (var (id, version) in versions)
        {
            _saved[id] = version;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Restored {Count} workers and their learned predictors from storage")]
    private static partial void LogRestored(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Persisting worker state failed: {Reason}")]
    private static partial void LogPersistFailed(ILogger logger, string reason);
}
