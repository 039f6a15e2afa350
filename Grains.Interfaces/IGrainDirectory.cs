namespace Dio.Grains;

/// <summary>Finds grains by key, activating them on first use (the Orleans grain factory, in process).</summary>
public interface IGrainDirectory
{
    /// <summary>The worker grain for an id.</summary>
    IWorkerGrain GetWorker(string workerId);

    /// <summary>The router grain of a model pool.</summary>
    IRouterGrain GetRouter(string model);

    /// <summary>Registered worker ids.</summary>
    IReadOnlyCollection<string> WorkerIds { get; }

    /// <summary>Models with a router pool.</summary>
    IReadOnlyCollection<string> Models { get; }
}
