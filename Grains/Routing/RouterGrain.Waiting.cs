using Dio.Grains.Policies;

namespace Dio.Grains.Routing;

/// <summary>The bounded gateway queue (ALGORITHMS.md §2.5 step 3): requests no worker can take yet wait here,
/// FIFO, until a completion or a reading frees room, or their TTFT deadline passes and they are shed.</summary>
internal sealed partial class RouterGrain
{
    /// <summary>How many waiters past the first one that still cannot start are tried on each pass: a large
    /// request at the head must not block small ones that fit, but the pass stays cheap.</summary>
    private const int LookPastBlocked = 8;

    private readonly LinkedList<Waiter> _waiters = new();

    /// <summary>Requests now in the gateway queue.</summary>
    public int QueuedRequests
    {
        get
        {
            lock (_turn)
            {
                return _waiters.Count;
            }
        }
    }

    public async ValueTask<RouteOutcome> RouteAsync(RouteRequest request, CancellationToken cancellationToken = default)
    {
        Waiter waiter;
        lock (_turn)
        {
            var outcome = Decide(request, _waiters.Count);
            if (outcome.Verdict != RouteVerdict.Wait)
            {
                return outcome;
            }

            waiter = new Waiter(request);
            waiter.Node = _waiters.AddLast(waiter);
        }

        var deadline = TimeSpan.FromMilliseconds(_options.TtftSloFor(request.Tier, request.TtftSloMs));
        using var timeout = new CancellationTokenSource(deadline, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await waiter.Completion.Task.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            bool stillQueued;
            lock (_turn)
            {
                stillQueued = waiter.Node.List is not null;
                if (stillQueued)
                {
                    _waiters.Remove(waiter.Node);
                }
            }

            if (!stillQueued)
            {
                // Routed in the same instant the deadline or the client gave up: hand back or release the reservation.
                var routed = await waiter.Completion.Task;
                if (!cancellationToken.IsCancellationRequested)
                {
                    return routed;
                }

                await ReleaseAsync(routed);
            }

            cancellationToken.ThrowIfCancellationRequested();
            return new RouteOutcome(RouteVerdict.Shed, ShedReason: ShedReason.DeadlineExceeded,
                RetryAfter: PolicyDecision.RetryAfterFor(0), PromptTokens: request.PromptTokens);
        }
    }

    /// <summary>Something freed room (a completion, a reading, a worker back): give waiting requests another try.</summary>
    internal void OnCapacityChanged()
    {
        lock (_turn)
        {
            var blockedSeen = 0;
            var node = _waiters.First;
            while (node is not null && blockedSeen <= LookPastBlocked)
            {
                var next = node.Next;
                var outcome = Decide(node.Value.Request, queuedRequests: 0);
                if (outcome.Verdict == RouteVerdict.Wait)
                {
                    blockedSeen++;
                }
                else
                {
                    _waiters.Remove(node);
                    node.Value.Completion.TrySetResult(outcome);
                }

                node = next;
            }
        }
    }

    private ValueTask ReleaseAsync(in RouteOutcome outcome) =>
        outcome.Verdict == RouteVerdict.Routed && outcome.WorkerId is { } workerId
            ? CompleteAsync(new CompletionReport(workerId, outcome.ReservationId, CompletionKind.Cancelled, 0, 0, 0, 0))
            : ValueTask.CompletedTask;

    private sealed class Waiter(RouteRequest request)
    {
        public RouteRequest Request { get; } = request;

        public TaskCompletionSource<RouteOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter> Node { get; set; } = null!;
    }
}
