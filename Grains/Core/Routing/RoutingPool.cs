using Dio.Grains.Policies;
using Dio.Grains.Scheduling;
using Dio.Grains.Workers;

namespace Dio.Grains.Routing;

/// <summary>
/// A model pool's decision state, without Orleans: the members' latest published views, the KV lease ledger, the
/// bounded wait queue, output-length quantiles and the bytes→tokens estimator. The router grain owns one; the
/// simulator and the benchmarks drive it directly. It is the only writer of its leases, so a decision needs no
/// second check anywhere: the policy sees the views and the pool's own counts, and the lease is taken in the same
/// turn. Decisions reuse buffers and allocate nothing. One turn at a time (a <see cref="Lock"/>, uncontended
/// under a grain).
/// </summary>
internal sealed partial class RoutingPool
{
    private static readonly TimeSpan NoWorkerRetryAfter = TimeSpan.FromSeconds(5);

    private readonly Lock _turn = new();
    private readonly IRoutingPolicy _policy;
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _time;
    private readonly PrefixIndex _prefixIndex;
    private readonly OutputLengthQuantile[] _outputLengths = [new(), new()];   // by RequestTier
    private readonly PromptTokenEstimator _promptTokens = new();

    // Members, copy-on-write under the turn; buffers sized to them and reused by every decision.
    private WorkerState[] _states = [];
    private WorkerState[] _candidates = [];
    private int[] _candidateMatches = [];
    private int[] _matchedBySlot = [];
    private int _nextSlot;

    public RoutingPool(string model, IRoutingPolicy policy, SchedulerOptions options, TimeProvider time)
    {
        Model = model;
        _policy = policy;
        _options = options;
        _time = time;
        _prefixIndex = new PrefixIndex(options.PrefixIndexEntries);
    }

    public string Model { get; }

    public string PolicyName => _policy.Name;

    /// <summary>How long the policy lets this request wait in the queue (ms; +∞: until room frees up).</summary>
    public double QueueTimeoutMs(in RouteRequest request) => _policy.QueueTimeoutMs(_options.TtftSloFor(request.Tier, request.TtftSloMs));

    /// <summary>Members of the pool, for tests, status and the simulator.</summary>
    internal ReadOnlySpan<WorkerState> Members => _states;

    /// <summary>
    /// Takes a worker's published view if it is newer than the one held (adding the worker on first sight), covers
    /// leases its reading already shows, and gives waiting requests another try. False for a stale view.
    /// </summary>
    public bool Apply(WorkerView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        lock (_turn)
        {
            var state = Find(view.Registration.WorkerId);
            if (state is null)
            {
                state = new WorkerState(view.Registration) { Slot = _nextSlot++ };
                _states = [.. _states, state];
                _candidates = new WorkerState[_states.Length];
                _candidateMatches = new int[_states.Length];
                _matchedBySlot = new int[_nextSlot];
            }
            else if (!view.IsNewerThan(state.View))
            {
                return false;
            }

            var previousReading = state.Telemetry;
            state.Apply(view);
            if (view.Telemetry is { } reading && !ReferenceEquals(reading, previousReading))
            {
                OnReading(state, reading);
            }

            DrainWaiters();
            return true;
        }
    }

    /// <summary>Removes a member; its open leases are dropped (the worker is gone or serves another model now).</summary>
    public bool Remove(string workerId)
    {
        lock (_turn)
        {
            var state = Find(workerId);
            if (state is null)
            {
                return false;
            }

            var index = Array.IndexOf(_states, state);
            _states = [.. _states[..index], .. _states[(index + 1)..]];
            DropLeasesOf(state);
            return true;
        }
    }

    /// <summary>Decides at once (Routed with a lease, Wait, Shed or Reject) without queueing.</summary>
    public RouteOutcome TryRoute(in RouteRequest request)
    {
        lock (_turn)
        {
            return Decide(request, _waiters.Count);
        }
    }

    /// <summary>The policy's verdict alone, without taking a lease: what the decision benchmark measures.</summary>
    internal PolicyDecision DecideWithoutLeasing(in RouteRequest request)
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
        var context = new RoutingContext(request, promptTokens, expectedOutput, memoryOutput, slo,
            _candidates.AsSpan(0, count), _candidateMatches.AsSpan(0, count), queuedRequests, _options);
        var decision = _policy.Decide(context);
        if (decision.Verdict != RouteVerdict.Routed)
        {
            return new RouteOutcome(decision.Verdict, PredictedTtftMs: decision.FastestIdleTtftMs, ShedReason: decision.Reason,
                RetryAfter: decision.RetryAfter, PromptTokens: promptTokens);
        }

        var chosen = _candidates[decision.Candidate];
        _prefixIndex.Record(request.PrefixBlocks.Span, chosen.Slot);
        return TakeLease(request, promptTokens, expectedOutput, memoryOutput, chosen, decision);
    }

    private int PromptTokensOf(in RouteRequest request) =>
        (request.PromptTokens > 0 ? request.PromptTokens : _promptTokens.Estimate(request.PromptBytes)) + Math.Max(0, request.TemplateTokens);

    /// <summary>
    /// Fills the candidate buffer with the healthy, not excluded workers whose max_model_len holds the request, and
    /// returns how many; <paramref name="largestContext"/> is the largest max_model_len among healthy workers (0: none).
    /// </summary>
    private int SelectCandidates(in RouteRequest request, int promptTokens, out int largestContext)
    {
        // vLLM checks each prompt of a batch on its own; DIO sees only their sum, so it checks their mean.
        var minimumTotal = (promptTokens / Math.Max(1, request.Prompts)) + Math.Max(1, request.MaxTokens);
        var count = 0;
        largestContext = 0;
        foreach (var state in _states)
        {
            if (!state.Healthy || (request.ExcludedWorkers is { } excluded && Array.IndexOf(excluded, state.WorkerId) >= 0))
            {
                continue;
            }

            var registration = state.Registration;
            largestContext = Math.Max(largestContext, registration.MaxModelLen);
            if (minimumTotal <= registration.MaxModelLen)
            {
                _candidates[count++] = state;
            }
        }

        return count;
    }

    /// <summary>
    /// D̂ = min(max_tokens, q̂₀.₅) per sequence for latency, and min(max_tokens, q̂₀.₉) for memory (§2.1) times the
    /// sequences vLLM decodes at once (n, best_of, a batch of prompts): each holds its own output blocks.
    /// </summary>
    private (double Expected, double Memory) ExpectedOutputTokens(in RouteRequest request)
    {
        var quantile = _outputLengths[(int)request.Tier];
        var cap = request.MaxTokens > 0 ? request.MaxTokens : double.PositiveInfinity;
        var sequences = Math.Max(1, request.Sequences);
        if (!quantile.IsReady)
        {
            var fallback = request.MaxTokens > 0 ? request.MaxTokens : _options.DefaultMaxTokens;
            return (fallback, (double)fallback * sequences);
        }

        return (Math.Min(cap, quantile.Median), Math.Min(cap, quantile.P90) * sequences);
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

    private WorkerState? Find(string workerId)
    {
        foreach (var state in _states)
        {
            if (string.Equals(state.WorkerId, workerId, StringComparison.Ordinal))
            {
                return state;
            }
        }

        return null;
    }
}
