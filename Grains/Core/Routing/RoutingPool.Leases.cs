using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Dio.Grains.Policies;
using Dio.Grains.Scheduling;
using Dio.Grains.Workers;

namespace Dio.Grains.Routing;

/// <summary>The lease ledger: the pool is its only writer. Every path closes what it opened; expiry is the backstop.</summary>
internal sealed partial class RoutingPool
{
    private readonly Dictionary<Guid, Lease> _leases = [];

    // Lease ids: this pool's random 64 bits, then a count. Unique across activations and pools (a late report from
    // before a re-activation can never close a new lease) and far cheaper than Guid.NewGuid on the hot path.
    private readonly long _leaseIdPrefix = Random.Shared.NextInt64();
    private long _leaseCount;
    private long _expiredLeases;
    private long _reclaimedLeases;
    private readonly List<(DateTimeOffset StartedAt, Guid Id)> _suspects = [];

    /// <summary>Consecutive readings that must miss a lease before it is given back (one can race a completion).</summary>
    internal const int LeakReadings = 2;

    /// <summary>Leases not yet closed or expired.</summary>
    public int OpenLeases
    {
        get
        {
            lock (_turn)
            {
                return _leases.Count;
            }
        }
    }

    /// <summary>Leases reaped because nobody renewed or closed them in time.</summary>
    public long ExpiredLeases => Interlocked.Read(ref _expiredLeases);

    /// <summary>Leases given back early because the worker's readings stopped showing them (see OnReading).</summary>
    public long ReclaimedLeases => Interlocked.Read(ref _reclaimedLeases);

    /// <summary>The first byte of a leased request arrived: its prompt is no longer pending prefill; renews it.</summary>
    public bool Started(Guid leaseId) => Started(leaseId, 0, out _, out _);

    /// <summary>
    /// The first byte arrived, <paramref name="ttftMs"/> after dispatch (0: unknown, as for a non-streamed answer).
    /// True when the lease was open; <paramref name="sample"/> then holds the TTFT for <paramref name="workerId"/> to
    /// learn, when there is one (its Kind is Success only then).
    /// </summary>
    public bool Started(Guid leaseId, double ttftMs, out LearningSample sample, out string? workerId)
    {
        sample = default;
        workerId = null;
        lock (_turn)
        {
            ref var lease = ref CollectionsMarshal.GetValueRefOrNullRef(_leases, leaseId);
            if (Unsafe.IsNullRef(ref lease))
            {
                return false;
            }

            lease.RenewedAt = _time.GetUtcNow();
            if (!lease.Started)
            {
                lease.Started = true;
                lease.StartedAt = lease.RenewedAt;
                lease.Worker.PendingPrefillTokens -= lease.PromptTokens;
            }

            if (ttftMs > 0 && double.IsFinite(ttftMs) && !lease.TtftLearned && !lease.Reclaimed)
            {
                lease.TtftLearned = true;
                workerId = lease.Worker.WorkerId;
                sample = new LearningSample(CompletionKind.Success, lease.TtftFeatures, lease.TpotFeatures, lease.PredictedWaitMs,
                    lease.PredictedE2eMs, ttftMs, E2eMs: 0, lease.PromptTokens, CompletionTokens: 0, lease.PredictedTtftMs,
                    lease.PredictedTpotMs, SamplePart.FirstToken);
            }

            return true;
        }
    }

    /// <summary>Renews the leases a frontend is still serving; returns how many were still open.</summary>
    public int Renew(ReadOnlySpan<Guid> leaseIds)
    {
        lock (_turn)
        {
            var now = _time.GetUtcNow();
            var renewed = 0;
            foreach (var id in leaseIds)
            {
                ref var lease = ref CollectionsMarshal.GetValueRefOrNullRef(_leases, id);
                if (!Unsafe.IsNullRef(ref lease))
                {
                    lease.RenewedAt = now;
                    renewed++;
                }
            }

            return renewed;
        }
    }

    /// <summary>
    /// Closes a lease with what the frontend measured: learns output lengths and the bytes→tokens ratio, gives
    /// waiting requests another try, and returns in <paramref name="sample"/> what the worker must learn. False for
    /// an unknown lease (closed already, expired, or from before this pool's activation).
    /// </summary>
    public bool Complete(in CompletionReport report, out LearningSample sample)
    {
        lock (_turn)
        {
            if (!_leases.Remove(report.LeaseId, out var closed))
            {
                sample = default;
                return false;
            }

            Release(closed);
            if (report.Kind == CompletionKind.Success && report.CompletionTokens > 0)
            {
                _outputLengths[(int)closed.Tier].Add(report.CompletionTokens);
            }

            _promptTokens.Observe(closed.PromptBytes, report.PromptTokens - closed.TemplateTokens);
            sample = new LearningSample(report.Kind, closed.TtftFeatures, closed.TpotFeatures, closed.PredictedWaitMs,
                closed.PredictedE2eMs, report.TtftMs, report.E2eMs, report.PromptTokens > 0 ? report.PromptTokens : closed.PromptTokens,
                report.CompletionTokens, closed.PredictedTtftMs, closed.PredictedTpotMs,
                closed.TtftLearned ? SamplePart.AfterFirstToken : SamplePart.Whole);
            DrainWaiters();
            return true;
        }
    }

    /// <summary>Reaps every lease not renewed within <see cref="SchedulerOptions.LeasePeriod"/>; returns how many.</summary>
    public int ExpireLeases()
    {
        lock (_turn)
        {
            var cutoff = _time.GetUtcNow() - _options.LeasePeriod;
            var expired = 0;
            foreach (var (id, lease) in _leases)
            {
                if (lease.RenewedAt < cutoff)
                {
                    _leases.Remove(id);
                    Release(lease);
                    expired++;
                }
            }

            if (expired > 0)
            {
                _expiredLeases += expired;
                DrainWaiters();
            }

            return expired;
        }
    }

    /// <summary>Open leases and uncovered blocks per member.</summary>
    public Dictionary<string, WorkerLeases> LeasesByWorker()
    {
        lock (_turn)
        {
            var counts = new Dictionary<string, WorkerLeases>(_states.Length, StringComparer.Ordinal);
            foreach (var state in _states)
            {
                counts[state.WorkerId] = new WorkerLeases(state.InFlight, state.ReservedBlocks);
            }

            return counts;
        }
    }

    /// <summary>Takes a lease on the chosen worker; the caller holds the turn.</summary>
    private RouteOutcome TakeLease(in RouteRequest request, int promptTokens, double expectedOutput, double memoryOutput,
        WorkerState state, in PolicyDecision decision)
    {
        var registration = state.Registration;
        var estimate = LatencyEstimate.For(state, promptTokens, expectedOutput);
        var lease = new Lease
        {
            Id = NextLeaseId(),
            Worker = state,
            Blocks = KvAdmission.BlocksNeeded(promptTokens, memoryOutput, registration.BlockSize),
            PromptTokens = promptTokens,
            PromptBytes = request.PromptTokens > 0 ? 0 : request.PromptBytes,   // learn the ratio only from estimates
            TemplateTokens = Math.Max(0, request.TemplateTokens),
            Tier = request.Tier,
            TtftFeatures = estimate.TtftFeatures,
            TpotFeatures = estimate.TpotFeatures,
            PredictedWaitMs = estimate.WaitMs,
            PredictedE2eMs = estimate.WaitMs + estimate.E2eMs,
            PredictedTtftMs = estimate.WaitPlusTtftMs,
            PredictedTpotMs = estimate.TpotMs,
            RenewedAt = _time.GetUtcNow(),
        };
        _leases.Add(lease.Id, lease);
        state.InFlight++;
        state.UncoveredRequests++;
        state.ReservedBlocks += lease.Blocks;
        state.ActivePromptBlocks += PromptBlocks(lease.PromptTokens, registration.BlockSize);
        state.PendingPrefillTokens += lease.PromptTokens;
        return new RouteOutcome(RouteVerdict.Routed, registration.WorkerId, registration.Endpoint, lease.Id,
            lease.PredictedTtftMs, lease.PredictedE2eMs, decision.Score, PromptTokens: promptTokens);
    }

    /// <summary>Gives back what a closed or expired lease held on its worker; the caller holds the turn.</summary>
    private static void Release(in Lease lease)
    {
        if (lease.Reclaimed)
        {
            return;   // given back already, on the evidence of the worker's readings
        }

        var state = lease.Worker;
        state.InFlight--;
        state.ActivePromptBlocks -= PromptBlocks(lease.PromptTokens, state.Registration.BlockSize);
        if (!lease.Covered)
        {
            state.ReservedBlocks -= lease.Blocks;
            state.UncoveredRequests--;
        }
        else
        {
            state.ReservedBlocks -= lease.GrowthBlocks;
        }

        if (!lease.Started)
        {
            state.PendingPrefillTokens -= lease.PromptTokens;
        }
    }

    /// <summary>
    /// A reading taken after a request started already counts its blocks in kv_usage, so they stop counting as
    /// leased. A reading whose engine shows at least as many requests as this worker has open leases is also a sign
    /// of life for them all. One that shows fewer requests than had started before it was taken is evidence of a
    /// leak (a report that never came, a client the frontend lost): the oldest of the excess miss this reading, and
    /// a lease missed by <see cref="LeakReadings"/> readings in a row is given back at once instead of at its expiry.
    /// The caller holds the turn.
    /// </summary>
    private void OnReading(WorkerState state, WorkerTelemetry reading)
    {
        var engineRequests = reading.Running + reading.Waiting;
        var alive = engineRequests >= state.InFlight;
        var now = _time.GetUtcNow();
        var startedBefore = 0;
        foreach (var id in _leases.Keys)
        {
            ref var lease = ref CollectionsMarshal.GetValueRefOrNullRef(_leases, id);
            if (!ReferenceEquals(lease.Worker, state) || lease.Reclaimed)
            {
                continue;
            }

            if (lease.Started && lease.StartedAt <= reading.TakenAt)
            {
                startedBefore++;
                if (!lease.Covered)
                {
                    // The reading holds the prompt's blocks and the tokens so far, not the output still to come: that
                    // growth stays reserved until the request ends, or running requests outgrow the cache and vLLM
                    // preempts (seen under a sustained overload over HTTP when the whole lease was released here).
                    lease.Covered = true;
                    lease.GrowthBlocks = Math.Max(0, lease.Blocks - PromptBlocks(lease.PromptTokens, state.Registration.BlockSize));
                    state.ReservedBlocks -= lease.Blocks - lease.GrowthBlocks;
                    state.UncoveredRequests--;
                }
            }

            if (alive && lease.Started)
            {
                lease.RenewedAt = now;
            }
        }

        MarkMissing(state, startedBefore - engineRequests, reading.TakenAt);
    }

    /// <summary>The <paramref name="excess"/> oldest started leases miss a reading; the rest were seen in it.</summary>
    private void MarkMissing(WorkerState state, int excess, DateTimeOffset takenAt)
    {
        _suspects.Clear();
        foreach (var (id, lease) in _leases)
        {
            if (ReferenceEquals(lease.Worker, state) && !lease.Reclaimed && lease.Started && lease.StartedAt <= takenAt)
            {
                _suspects.Add((lease.StartedAt, id));
            }
        }

        _suspects.Sort();
        for (var i = 0; i < _suspects.Count; i++)
        {
            ref var lease = ref CollectionsMarshal.GetValueRefOrNullRef(_leases, _suspects[i].Id);
            lease.MissedReadings = i < excess ? lease.MissedReadings + 1 : 0;
            if (lease.MissedReadings >= LeakReadings)
            {
                // Kept until its report or expiry, so that a late report still teaches the worker what it measured.
                Release(lease);
                lease.Reclaimed = true;
                _reclaimedLeases++;
            }
        }
    }

    private void DropLeasesOf(WorkerState state)
    {
        foreach (var (id, lease) in _leases)
        {
            if (ReferenceEquals(lease.Worker, state))
            {
                _leases.Remove(id);
            }
        }
    }

    private Guid NextLeaseId()
    {
        Span<long> parts = [_leaseIdPrefix, ++_leaseCount];
        return new Guid(System.Runtime.InteropServices.MemoryMarshal.AsBytes(parts));
    }

    private static int PromptBlocks(int promptTokens, int blockSize) => (promptTokens + blockSize - 1) / blockSize;
}
