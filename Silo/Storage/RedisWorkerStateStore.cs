using System.Text.Json;
using Dio.Grains.Workers;
using Dio.Silo.Storage.Redis;

namespace Dio.Silo.Storage;

/// <summary>Worker grain states as JSON fields of one Redis hash (<c>dio:workers</c>), written in one pipeline.</summary>
internal sealed class RedisWorkerStateStore(RespClient redis) : IWorkerStateStore
{
    public const string Key = "dio:workers";

    public async ValueTask SaveAsync(IReadOnlyList<WorkerGrainState> states, CancellationToken cancellationToken)
    {
        if (states.Count == 0)
        {
            return;
        }

        string[] command = ["HSET", Key, .. states.SelectMany(s => new[] { s.Registration.WorkerId, JsonSerializer.Serialize(s, JsonSerializerOptions.Web) })];
        await redis.ExecuteAsync(command, cancellationToken);
    }

    public async ValueTask DeleteAsync(IReadOnlyList<string> workerIds, CancellationToken cancellationToken)
    {
        if (workerIds.Count > 0)
        {
            await redis.ExecuteAsync(["HDEL", Key, .. workerIds], cancellationToken);
        }
    }

    public async ValueTask<IReadOnlyList<WorkerGrainState>> LoadAllAsync(CancellationToken cancellationToken)
    {
        var reply = await redis.ExecuteAsync(["HGETALL", Key], cancellationToken);
        var items = reply.Items ?? [];
        var states = new List<WorkerGrainState>();
        for (var i = 1; i < items.Count; i += 2)
        {
            if (items[i].Text is { } json && JsonSerializer.Deserialize<WorkerGrainState>(json, JsonSerializerOptions.Web) is { } state)
            {
                states.Add(state);
            }
        }

        return states;
    }
}
