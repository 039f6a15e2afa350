using Dio.Grains.Workers;

namespace Dio.Silo.Storage;

/// <summary>Where worker grains persist: nothing by default (memory), Redis when configured.</summary>
public interface IWorkerStateStore
{
    ValueTask SaveAsync(IReadOnlyList<WorkerGrainState> states, CancellationToken cancellationToken);

    ValueTask DeleteAsync(IReadOnlyList<string> workerIds, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<WorkerGrainState>> LoadAllAsync(CancellationToken cancellationToken);
}
