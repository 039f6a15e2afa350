using Dio.Grains.Policies;

namespace Dio.Grains.Routing;

/// <summary>The bounded gateway queue (ALGORITHMS.md §2.5 step 3): requests no worker can take yet wait here,
/// FIFO, until a completion or a reading frees room, or their TTFT deadline passes and they are shed.</summary>
internal sealed partial class RouterGrain
{
    /// <summary>How many waiters past the first one that still cannot start are tried on each pass: a large
    /// request at the head must not block small ones that fit, but the pass stays cheap.</summary>
    private const int LookPastBlocked = 8;

    private readonly LinkedList<GatewayWaiter> _waiters = new();

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
        var waiter = new TaskWaiter(request);
        var outcome = RouteOrEnqueue(request, waiter);
        if (outcome.Verdict != RouteVerdict.Wait)
        {
            return outcome;
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
            if (!Withdraw(waiter))
            {
                // Routed in the same instant the deadline or the client gave up: hand back or release the reservation.
                var routed = await waiter.Completion.Task;
                if (!cancellationToken.IsCancellationRequested)
                {
                    return routed;
                }

                Release(routed);
            }

            cancellationToken.ThrowIfCancellationRequested();
            return DeadlineExceeded(request);
        }
    }

    /// <summary>Decides; on Wait parks <paramref name="waiter"/> in the queue (resolved later by the router or
    /// withdrawn by its owner at the deadline) and returns the Wait outcome.</summary>
    internal RouteOutcome RouteOrEnqueue(in RouteRequest request, GatewayWaiter waiter)
    {
        lock (_turn)
        {
            var outcome = Decide(request, _waiters.Count);
            if (outcome.Verdict == RouteVerdict.Wait)
            {
                waiter.Node = _waiters.AddLast(waiter);
            }

            return outcome;
        }
    }

    /// <summary>Takes a waiter out of the queue; false when the router already resolved it.</summary>
    internal bool Withdraw(GatewayWaiter waiter)
    {
        lock (_turn)
        {
            if (waiter.Node?.List is null)
            {
                return false;
            }

            _waiters.Remove(waiter.Node);
            return true;
        }
    }

    /// <summary>The outcome of a waiter whose deadline passed.</summary>
    internal static RouteOutcome DeadlineExceeded(in RouteRequest request) =>
        new(RouteVerdict.Shed, ShedReason: ShedReason.DeadlineExceeded, RetryAfter: PolicyDecision.RetryAfterFor(0),
            PromptTokens: request.PromptTokens);

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
                    node.Value.Resolve(outcome);
                }

                node = next;
            }
        }
    }

    private void Release(in RouteOutcome outcome)
    {
        if (outcome.Verdict == RouteVerdict.Routed && outcome.WorkerId is { } workerId)
        {
            Complete(new CompletionReport(workerId, outcome.ReservationId, CompletionKind.Cancelled, 0, 0, 0, 0));
        }
    }

    private sealed class TaskWaiter(RouteRequest request) : GatewayWaiter(request)
    {
        public TaskCompletionSource<RouteOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Resolve(in RouteOutcome outcome) => Completion.TrySetResult(outcome);
    }
}
