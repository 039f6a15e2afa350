using System.Collections.Concurrent;
using Dio.Grains;

namespace Dio.FrontendApi.Routing;

/// <summary>
/// Completion reports, sent to each model's router in batches: the first report of a quiet moment queues a flush on
/// the thread pool, and everything that completed before the flush runs goes in one one-way message. Under load that
/// is one message for many requests instead of one each (and one learning message and one new view per worker per
/// batch, not per request); when quiet the flush runs at once, so nothing waits on a timer. A crash loses at most
/// the reports not yet flushed, which lease expiry makes good.
/// </summary>
internal sealed class CompletionBatcher(GrainReferences<IRouterGrain> routers)
{
    /// <summary>The routers the batches go to (the backend's own references, shared).</summary>
    public GrainReferences<IRouterGrain> Routers => routers;

    private readonly ConcurrentQueue<(string Model, CompletionReport Report)> _pending = new();
    private int _flushScheduled;

    public void Add(string model, in CompletionReport report)
    {
        _pending.Enqueue((model, report));
        if (Interlocked.CompareExchange(ref _flushScheduled, 1, 0) == 0)
        {
            _ = FlushSoonAsync();
        }
    }

    private async Task FlushSoonAsync()
    {
        await Task.Yield();   // behind the work already queued: the completions racing this one join its batch
        Volatile.Write(ref _flushScheduled, 0);   // reports added from here on schedule the next flush
        Flush();
    }

    /// <summary>Sends what is pending, one message per model.</summary>
    public void Flush()
    {
        if (_pending.IsEmpty)
        {
            return;
        }

        var byModel = new Dictionary<string, List<CompletionReport>>(StringComparer.Ordinal);
        while (_pending.TryDequeue(out var item))
        {
            if (!byModel.TryGetValue(item.Model, out var reports))
            {
                byModel[item.Model] = reports = [];
            }

            reports.Add(item.Report);
        }

        foreach (var (model, reports) in byModel)
        {
            try
            {
                _ = routers[model].CompleteManyAsync([.. reports]);
            }
            catch (Exception e) when (e is OrleansException or ObjectDisposedException or InvalidOperationException)
            {
                // The control plane cannot take them now: these leases expire instead.
            }
        }
    }
}
