using System.Collections.Concurrent;
using Dio.Grains.Workers;

namespace Dio.Silo.Storage;

/// <summary>The default: state lives as long as the process. A restarted silo starts empty and sidecars register again.</summary>
internal sealed class MemoryWorkerStateStore : IWorkerStateStore
{
    private readonly ConcurrentDictionary<string, WorkerGrainState> _states = new(StringComparer.Ordinal);

    public ValueTask SaveAsync(IReadOnlyList<WorkerGrainState> states, CancellationToken cancellationToken)
    {
        foreach (var state in states)
        {
            _states[state.Registration.WorkerId] = state;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteAsync(IReadOnlyList<string> workerIds, CancellationToken cancellationToken)
    {
        foreach (var id in workerIds)
        {
            _states.TryRemove(id, out _);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<WorkerGrainState>> LoadAllAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<WorkerGrainState>>([.. _states.Values]);
}
