using Dio.Grains.Policies;
using Dio.Grains.Scheduling;
using Dio.Grains.Workers;

namespace Dio.Grains.Routing;

/// <summary>
/// One model pool. Runs its policy over the workers' published state (never calling into every worker grain),
/// then asks only the chosen worker grain to take the reservation, which re-checks KV under its own turn.
/// Decisions are one turn at a time (a <see cref="Lock"/>), reuse buffers, and allocate nothing.
/// </summary>
internal sealed partial class RouterGrain : IRouterGrain
{
    private static readonly TimeSpan NoWorkerRetryAfter = TimeSpan.FromSeconds(5);

    private readonly Lock _turn = new();
    private readonly IRoutingPolicy _policy;
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Func<string, WorkerGrain?> _findWorker;
    private readonly PrefixIndex _prefixIndex;
    private readonly OutputLengthQuantile[] _outputLengths = [new(), new()];   // by RequestTier
    private readonly PromptTokenEstimator _promptTokens = new();

    // Members, copy-on-write under the turn; buffers sized to them and reused by every decision.
    private WorkerState[] _states = [];
    private WorkerGrain[] _grains = [];
    private WorkerState[] _candidates = [];
    private WorkerGrain[] _candidateGrains = [];
    private int[] _candidateMatches = [];
    private int[] _matchedBySlot = [];
    private int _nextSlot;

    public RouterGrain(string model, IRoutingPolicy policy, SchedulerOptions options, TimeProvider timeProvider,
        Func<string, WorkerGrain?> findWorker)
    {
        Model = model;
        _policy = policy;
        _options = options;
        _timeProvider = timeProvider;
        _findWorker = findWorker;
        _prefixIndex = new PrefixIndex(options.PrefixIndexEntries);
    }

    public string Model { get; }

    public string PolicyName => _policy.Name;

    /// <summary>At least one member is healthy (a lock-free scan of published state).</summary>
    internal bool HasHealthyWorker
    {
        get
        {
            foreach (var state in _states)
            {
                if (state.Healthy)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Members of the pool, for tests and the simulator.</summary>
    internal ReadOnlySpan<WorkerState> Members => _states;

    public RouteOutcome TryRoute(in RouteRequest request)
    {
        lock (_turn)
        {
            return Decide(request, _waiters.Count);
        }
    }

    public ValueTask CompleteAsync(CompletionReport report, CancellationToken cancellationToken = default)
    {
        Complete(report);
        return ValueTask.CompletedTask;
    }

    /// <summary>Synchronous core of <see cref="CompleteAsync"/>, for the simulator and benchmarks.</summary>
    internal void Complete(in CompletionReport report) => _findWorker(report.WorkerId)?.Complete(report);

    public async ValueTask<IReadOnlyList<WorkerSnapshot>> GetWorkersAsync(CancellationToken cancellationToken = default)
    {
        var grains = _grains;
        var snapshots = new List<WorkerSnapshot>(grains.Length);
        foreach (var grain in grains)
        {
            if (await grain.GetSnapshotAsync(cancellationToken) is { } snapshot)
            {
                snapshots.Add(snapshot);
            }
        }

        return snapshots;
    }

    internal void Attach(WorkerState state, WorkerGrain grain)
    {
        lock (_turn)
        {
            if (Array.IndexOf(_states, state) >= 0)
            {
                return;
            }

            state.Slot = _nextSlot++;
            _states = [.. _states, state];
            _grains = [.. _grains, grain];
            _candidates = new WorkerState[_states.Length];
            _candidateGrains = new WorkerGrain[_states.Length];
            _candidateMatches = new int[_states.Length];
            _matchedBySlot = new int[_nextSlot];
        }

        OnCapacityChanged();
    }

    internal void Detach(WorkerState state)
    {
        lock (_turn)
        {
            var index = Array.IndexOf(_states, state);
            if (index < 0)
            {
                return;
            }

            _states = [.. _states[..index], .. _states[(index + 1)..]];
            _grains = [.. _grains[..index], .. _grains[(index + 1)..]];
        }
    }

    /// <summary>Learns output lengths and the bytes→tokens ratio from a closed reservation, then retries waiters.</summary>
    internal void OnReservationClosed(in CompletionReport report, in Reservation closed)
    {
        lock (_turn)
        {
            if (report.Kind == CompletionKind.Success && report.CompletionTokens > 0)
            {
                _outputLengths[(int)closed.Tier].Add(report.CompletionTokens);
            }

            _promptTokens.Observe(closed.PromptBytes, report.PromptTokens);
        }

        OnCapacityChanged();
    }

    /// <summary>The policy's verdict alone, without taking a reservation: what the decision benchmark measures.</summary>
    internal PolicyDecision DecideWithoutReserving(in RouteRequest request)
    {
        lock (_turn)
        {
            var promptTokens = PromptTokensOf(request);
            var count = SelectCandidates(request, promptTokens, out _);
            var (expected, memory) = ExpectedOutputTokens(request);
            MatchPrefix(request.PrefixBlocks.Span, count);
            return _policy.Decide(new RoutingContext(request, promptTokens, expected, memory,
                _options.TtftSloFor(request.Tier, request.TtftSloMs), _candidates.AsSpan(0, count), _candidateMatches.AsSpan(0, count),
                _waiters.Count, _options));
        }
    }

    /// <summary>The decision itself; the caller holds the turn.</summary>
    private RouteOutcome Decide(in RouteRequest request, int queuedRequests)
    {
        var promptTokens = PromptTokensOf(request);
        var count = SelectCandidates(request, promptTokens, out var largestContext);
        if (largestContext == 0)
        {
            return new RouteOutcome(RouteVerdict.Shed, ShedReason: ShedReason.NoHealthyWorker, RetryAfter: NoWorkerRetryAfter,
                PromptTokens: promptTokens);
        }

        if (count == 0)
        {
            return new RouteOutcome(RouteVerdict.Reject, PromptTokens: promptTokens, MaxModelLen: largestContext);
        }

        var (expectedOutput, memoryOutput) = ExpectedOutputTokens(request);
        MatchPrefix(request.PrefixBlocks.Span, count);
        var slo = _options.TtftSloFor(request.Tier, request.TtftSloMs);

        while (true)
        {
            var context = new RoutingContext(request, promptTokens, expectedOutput, memoryOutput, slo,
                _candidates.AsSpan(0, count), _candidateMatches.AsSpan(0, count), queuedRequests, _options);
            var decision = _policy.Decide(context);
            if (decision.Verdict != RouteVerdict.Routed)
            {
                return new RouteOutcome(decision.Verdict, ShedReason: decision.Reason, RetryAfter: decision.RetryAfter,
                    PromptTokens: promptTokens);
            }

            var chosen = decision.Candidate;
            if (TryReserve(request, promptTokens, expectedOutput, memoryOutput, chosen, decision, out var outcome))
            {
                _prefixIndex.Record(request.PrefixBlocks.Span, _candidates[chosen].Slot);
                return outcome;
            }

            // The worker's turn saw a newer reading (or it went unhealthy): drop it and decide again.
            count--;
            _candidates[chosen] = _candidates[count];
            _candidateGrains[chosen] = _candidateGrains[count];
            _candidateMatches[chosen] = _candidateMatches[count];
            if (count == 0)
            {
                return new RouteOutcome(RouteVerdict.Wait, RetryAfter: PolicyDecision.RetryAfterFor(0), PromptTokens: promptTokens);
            }
        }
    }

    private bool TryReserve(in RouteRequest request, int promptTokens, double expectedOutput, double memoryOutput,
        int chosen, in PolicyDecision decision, out RouteOutcome outcome)
    {
        var state = _candidates[chosen];
        var registration = state.Registration;
        var estimate = LatencyEstimate.For(state, promptTokens, expectedOutput);
        var reservation = new Reservation
        {
            Blocks = KvAdmission.BlocksNeeded(promptTokens, memoryOutput, registration.BlockSize),
            PromptTokens = promptTokens,
            PromptBytes = request.PromptTokens > 0 ? 0 : request.PromptBytes,   // learn the ratio only from estimates
            ExpectedOutputTokens = expectedOutput,
            Tier = request.Tier,
            TtftFeatures = estimate.TtftFeatures,
            TpotFeatures = estimate.TpotFeatures,
            PredictedWaitMs = estimate.WaitMs,
            PredictedE2eMs = estimate.WaitMs + estimate.E2eMs,
        };

        var required = _policy.EnforcesKvAdmission ? decision.RequiredBlocks : 0;
        if (!_candidateGrains[chosen].TryReserve(ref reservation, required))
        {
            outcome = default;
            return false;
        }

        outcome = new RouteOutcome(RouteVerdict.Routed, registration.WorkerId, registration.Endpoint, reservation.Id,
            estimate.WaitPlusTtftMs, reservation.PredictedE2eMs, decision.Score, PromptTokens: promptTokens);
        return true;
    }

    private int PromptTokensOf(in RouteRequest request) =>
        request.PromptTokens > 0 ? request.PromptTokens : _promptTokens.Estimate(request.PromptBytes);

    /// <summary>
    /// Fills the candidate buffers with the healthy, not excluded workers whose max_model_len holds the request, and
    /// returns how many; <paramref name="largestContext"/> is the largest max_model_len among healthy workers (0: none).
    /// </summary>
    private int SelectCandidates(in RouteRequest request, int promptTokens, out int largestContext)
    {
        var minimumTotal = promptTokens + Math.Max(1, request.MaxTokens);
        var count = 0;
        largestContext = 0;
        for (var i = 0; i < _states.Length; i++)
        {
            var state = _states[i];
            if (!state.Healthy || (request.ExcludedWorkers is { } excluded && excluded.Contains(state.WorkerId)))
            {
                continue;
            }

            var registration = state.Registration;
            largestContext = Math.Max(largestContext, registration.MaxModelLen);
            if (minimumTotal <= registration.MaxModelLen)
            {
                _candidates[count] = state;
                _candidateGrains[count] = _grains[i];
                count++;
            }
        }

        return count;
    }

    /// <summary>D̂ = min(max_tokens, q̂₀.₅) for latency and min(max_tokens, q̂₀.₉) for memory (§2.1).</summary>
    private (double Expected, double Memory) ExpectedOutputTokens(in RouteRequest request)
    {
        var quantile = _outputLengths[(int)request.Tier];
        var cap = request.MaxTokens > 0 ? request.MaxTokens : double.PositiveInfinity;
        if (!quantile.IsReady)
        {
            var fallback = request.MaxTokens > 0 ? request.MaxTokens : _options.DefaultMaxTokens;
            return (fallback, fallback);
        }

        return (Math.Min(cap, quantile.Median), Math.Min(cap, quantile.P90));
    }

    private void MatchPrefix(ReadOnlySpan<ulong> blocks, int count)
    {
        var matches = _candidateMatches.AsSpan(0, count);
        if (blocks.IsEmpty)
        {
            matches.Clear();
            return;
        }

        _prefixIndex.Match(blocks, _matchedBySlot);
        for (var i = 0; i < count; i++)
        {
            matches[i] = _matchedBySlot[_candidates[i].Slot];
        }
    }
}
