using Dio.Grains.Policies;

namespace Dio.Grains.Routing;

/// <summary>The bounded gateway queue (ALGORITHMS.md §2.5 step 3): requests no worker can take yet wait here,
/// FIFO, until a completion, a reading or an expired lease frees room, or their TTFT deadline passes and they are
/// shed. The owner of a waiter (the router grain, or the simulator) enforces its deadline and withdraws it.</summary>
internal sealed partial class RoutingPool
{
    /// <summary>How many waiters past the first one that still cannot start are tried on each pass: a large
    /// request at the head must not block small ones that fit, but the pass stays cheap.</summary>
    private const int LookPastBlocked = 8;

    /// <summary>The longest a request waits in the queue, whatever its objective: a grain call that waits must answer
    /// well inside the response timeout of the hosts (Orleans' default is 30 s; DIO's hosts raise it to 60 s).</summary>
    public static readonly TimeSpan MaxQueueWait = TimeSpan.FromSeconds(40);

    private readonly LinkedList<GatewayWaiter> _waiters = new();

    /// <summary>
    /// Decides; when the verdict is Wait, holds the request in the queue until room frees up or the policy's queue
    /// timeout (for DIO the TTFT objective; at most <see cref="MaxQueueWait"/>) passes. The result is Routed, Shed or Reject, never Wait. Cancelling
    /// withdraws the request, and releases its lease if it was routed in the same instant. The continuation runs on
    /// the caller's scheduler (a grain's, under Orleans).
    /// </summary>
    public async ValueTask<RouteOutcome> RouteAsync(RouteRequest request, CancellationToken cancellationToken = default)
    {
        var waiter = new TaskWaiter(request);
        var outcome = RouteOrEnqueue(request, waiter);
        if (outcome.Verdict != RouteVerdict.Wait)
        {
            return outcome;
        }

        var timeoutMs = QueueTimeoutMs(request);
        var timeout = timeoutMs < MaxQueueWait.TotalMilliseconds ? TimeSpan.FromMilliseconds(timeoutMs) : MaxQueueWait;
        try
        {
            return await waiter.Completion.Task.WaitAsync(timeout, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return Withdraw(waiter) ? DeadlineExceeded(request) : await waiter.Completion.Task;
        }
        catch (OperationCanceledException)
        {
            if (!Withdraw(waiter))
            {
                // Routed in the same instant the caller gave up: nobody will use or close this lease.
                Cancel(await waiter.Completion.Task);
            }

            throw;
        }
    }

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

    /// <summary>Decides; on Wait parks <paramref name="waiter"/> in the queue (resolved later by the pool or
    /// withdrawn by its owner at the deadline) and returns the Wait outcome.</summary>
    public RouteOutcome RouteOrEnqueue(in RouteRequest request, GatewayWaiter waiter)
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

    /// <summary>Takes a waiter out of the queue; false when the pool already resolved it.</summary>
    public bool Withdraw(GatewayWaiter waiter)
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

    /// <summary>Gives back a lease its requester no longer wants (it gave up in the instant it was routed).</summary>
    public void Cancel(in RouteOutcome outcome)
    {
        if (outcome.Verdict == RouteVerdict.Routed && outcome.WorkerId is { } workerId)
        {
            Complete(new CompletionReport(workerId, outcome.LeaseId, CompletionKind.Cancelled, 0, 0, 0, 0), out _);
        }
    }

    /// <summary>The outcome of a waiter whose deadline passed.</summary>
    internal static RouteOutcome DeadlineExceeded(in RouteRequest request) =>
        new(RouteVerdict.Shed, ShedReason: ShedReason.DeadlineExceeded, RetryAfter: PolicyDecision.RetryAfterFor(0),
            PromptTokens: request.PromptTokens);

    /// <summary>A waiting <see cref="RouteAsync"/> call; resolved under the pool's turn, continued on its caller's scheduler.</summary>
    private sealed class TaskWaiter(RouteRequest request) : GatewayWaiter(request)
    {
        public TaskCompletionSource<RouteOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Resolve(in RouteOutcome outcome) => Completion.TrySetResult(outcome);
    }

    /// <summary>Something freed room: give waiting requests another try. The caller holds the turn.</summary>
    private void DrainWaiters()
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
