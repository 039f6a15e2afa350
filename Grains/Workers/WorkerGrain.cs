using Dio.Grains.Routing;
using Dio.Grains.Scheduling;
using Microsoft.Extensions.Logging;

namespace Dio.Grains.Workers;

/// <summary>
/// One vLLM endpoint: its predictors, its KV accounting and its in-flight reservations. One turn at a time over the
/// mutable state (a <see cref="Lock"/>, never held across an await); everything the router needs is published
/// through <see cref="State"/> for lock-free reads.
/// </summary>
internal sealed partial class WorkerGrain(string workerId, SchedulerOptions options, TimeProvider timeProvider,
    IRouterPools pools, ILogger<WorkerGrain> logger) : IWorkerGrain
{
    private const double ErrorAverageWeight = 0.05;

    private readonly Lock _turn = new();
    private readonly Dictionary<long, Reservation> _reservations = [];
    private readonly LatencyModel _model = new(options.AdaptiveBlend);
    private readonly FaithfulNlmsPredictor _faithful = new();
    private ExponentialAverage _meanE2e = new(0.1);
    private ExponentialAverage _meanPrompt = new(0.1);
    private ExponentialAverage _meanOutput = new(0.1);
    private ExponentialAverage _meanAbsPercentError = new(ErrorAverageWeight);
    private WorkerState? _state;
    private RouterGrain? _router;
    private long _stateVersion;

    public string WorkerId => workerId;

    /// <summary>Published state; null until registered.</summary>
    public WorkerState? State => _state;

    /// <summary>Bumped whenever something worth persisting changed (registration, learning); read by the persister.</summary>
    internal long StateVersion => Interlocked.Read(ref _stateVersion);

    /// <summary>In a pool now (registered and not deregistered).</summary>
    internal bool IsRegistered => _router is not null;

    /// <summary>Registration and learned state, for persistence; null before registration.</summary>
    internal WorkerGrainState? ExportState()
    {
        lock (_turn)
        {
            return _state is null ? null : new WorkerGrainState(_state.Registration, _model.Ttft.Export(), _model.Tpot.Export(),
                _faithful.Export(), _meanE2e.Export(), _meanPrompt.Export(), _meanOutput.Export(), _meanAbsPercentError.Export());
        }
    }

    /// <summary>Restores persisted learning, then registers: a silo restart picks up where it left off.</summary>
    internal async ValueTask RestoreAsync(WorkerGrainState saved, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(saved);
        lock (_turn)
        {
            _model.Ttft.Import(saved.Ttft);
            _model.Tpot.Import(saved.Tpot);
            _faithful.Import(saved.Faithful);
            _meanE2e.Import(saved.MeanE2e);
            _meanPrompt.Import(saved.MeanPrompt);
            _meanOutput.Import(saved.MeanOutput);
            _meanAbsPercentError.Import(saved.MeanAbsPercentError);
        }

        await RegisterAsync(saved.Registration, cancellationToken);
        lock (_turn)
        {
            _state!.Predictor = _model.ToView(_meanE2e, _meanPrompt, _meanOutput, _meanAbsPercentError, _faithful);
        }
    }

    public ValueTask RegisterAsync(WorkerRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (!string.Equals(registration.WorkerId, workerId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Registration is for '{registration.WorkerId}', not '{workerId}'.", nameof(registration));
        }

        RouterGrain? previous;
        RouterGrain next = pools.GetPool(registration.Model);
        WorkerState state;
        lock (_turn)
        {
            previous = _router;
            if (_state is null)
            {
                _state = new WorkerState(registration);
            }
            else
            {
                _state.Registration = registration;
                _state.Telemetry = _state.Telemetry;   // re-derive used blocks against the new block count
            }

            state = _state;
            _router = next;
            Interlocked.Increment(ref _stateVersion);
        }

        if (previous is not null && !ReferenceEquals(previous, next))
        {
            previous.Detach(state);
        }

        next.Attach(state, this);
        LogRegistered(logger, workerId, registration.Model, registration.GpuProfile, registration.NumGpuBlocks);
        return ValueTask.CompletedTask;
    }

    public ValueTask DeregisterAsync(CancellationToken cancellationToken = default)
    {
        RouterGrain? router;
        WorkerState? state;
        lock (_turn)
        {
            router = _router;
            state = _state;
            _router = null;
            Interlocked.Increment(ref _stateVersion);
        }

        if (router is not null && state is not null)
        {
            router.Detach(state);
            LogDeregistered(logger, workerId);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ReportTelemetryAsync(WorkerTelemetry telemetry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        RouterGrain? router;
        lock (_turn)
        {
            if (_state is null)
            {
                return ValueTask.CompletedTask;
            }

            _state.Telemetry = telemetry;
            CoverStartedReservations(telemetry.TakenAt);
            router = _router;
        }

        router?.OnCapacityChanged();
        return ValueTask.CompletedTask;
    }

    public ValueTask ReportStartedAsync(long reservationId, CancellationToken cancellationToken = default)
    {
        lock (_turn)
        {
            ref var reservation = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_reservations, reservationId);
            if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref reservation) || reservation.Started || _state is null)
            {
                return ValueTask.CompletedTask;
            }

            reservation.Started = true;
            reservation.StartedAt = timeProvider.GetUtcNow();
            _state.PendingPrefillTokens -= reservation.PromptTokens;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask CompleteAsync(CompletionReport report, CancellationToken cancellationToken = default)
    {
        Complete(report);
        return ValueTask.CompletedTask;
    }

    /// <summary>Synchronous core of <see cref="CompleteAsync"/>.</summary>
    internal void Complete(in CompletionReport report)
    {
        if (TryClose(report, out var closed))
        {
            _router?.OnReservationClosed(report, closed);
        }
    }

    public ValueTask SetHealthAsync(bool healthy, CancellationToken cancellationToken = default)
    {
        RouterGrain? router;
        lock (_turn)
        {
            if (_state is null || _state.Healthy == healthy)
            {
                return ValueTask.CompletedTask;
            }

            _state.Healthy = healthy;
            router = _router;
        }

        LogHealthChanged(logger, workerId, healthy);
        router?.OnCapacityChanged();
        return ValueTask.CompletedTask;
    }

    public ValueTask<WorkerSnapshot?> GetSnapshotAsync(CancellationToken cancellationToken = default)
    {
        var state = _state;
        if (state is null)
        {
            return ValueTask.FromResult<WorkerSnapshot?>(null);
        }

        var predictor = state.Predictor;
        var idle = LatencyEstimate.For(state, 1000, 0);
        return ValueTask.FromResult<WorkerSnapshot?>(new WorkerSnapshot(state.Registration, state.Healthy, state.Telemetry,
            state.InFlight, state.ReservedBlocks, idle.TtftMs, idle.TpotMs, predictor.MeanE2eMs, predictor.Observations,
            predictor.MeanAbsPercentError, predictor.FastWeight, timeProvider.GetUtcNow()));
    }

    /// <summary>
    /// Adds a reservation if, under this grain's turn, it still fits: the router scored a published view that may be
    /// a reading old, so the authoritative KV check happens here. <paramref name="requiredBlocks"/> ≤ 0 skips the
    /// check (policies without KV admission).
    /// </summary>
    internal bool TryReserve(ref Reservation reservation, double requiredBlocks)
    {
        lock (_turn)
        {
            var state = _state;
            if (state is null || !state.Healthy)
            {
                return false;
            }

            var registration = state.Registration;
            if (requiredBlocks > 0 && !KvAdmission.IsFeasible(requiredBlocks, registration.NumGpuBlocks, state.UsedBlocks,
                    state.ReservedBlocks, options.KvHeadroom))
            {
                return false;
            }

            reservation.Id = ReservationIds.Next();
            _reservations.Add(reservation.Id, reservation);
            state.InFlight++;
            state.UncoveredRequests++;
            state.ReservedBlocks += reservation.Blocks;
            state.ActivePromptBlocks += PromptBlocks(reservation.PromptTokens, registration.BlockSize);
            state.PendingPrefillTokens += reservation.PromptTokens;
            state.OutstandingTokens += reservation.PromptTokens + (long)reservation.ExpectedOutputTokens;
            return true;
        }
    }

    /// <summary>Closes a reservation; learns from it when it succeeded. False for an unknown id (already closed).</summary>
    internal bool TryClose(in CompletionReport report, out Reservation closed)
    {
        lock (_turn)
        {
            var state = _state;
            if (state is null || !_reservations.Remove(report.ReservationId, out closed))
            {
                closed = default;
                return false;
            }

            state.InFlight--;
            state.ActivePromptBlocks -= PromptBlocks(closed.PromptTokens, state.Registration.BlockSize);
            state.OutstandingTokens -= closed.PromptTokens + (long)closed.ExpectedOutputTokens;
            if (!closed.Covered)
            {
                state.ReservedBlocks -= closed.Blocks;
                state.UncoveredRequests--;
            }

            if (!closed.Started)
            {
                state.PendingPrefillTokens -= closed.PromptTokens;
            }

            if (report.Kind == CompletionKind.Success && report.E2eMs > 0)
            {
                Learn(report, closed, state);
            }

            return true;
        }
    }

    private void Learn(in CompletionReport report, in Reservation closed, WorkerState state)
    {
        // The TTFT channel models service, not the gateway-estimated queue wait that the score adds separately.
        var wait = closed.PredictedWaitMs;
        var ttft = Math.Max(0.1, report.TtftMs - wait);
        var e2e = Math.Max(ttft, report.E2eMs - wait);
        _model.Learn(closed.TtftFeatures, closed.TpotFeatures, report.TtftMs > 0 ? ttft : 0, e2e, report.CompletionTokens);

        var promptTokens = report.PromptTokens > 0 ? report.PromptTokens : closed.PromptTokens;
        _faithful.Update(promptTokens, report.E2eMs, state.Telemetry?.FreeVramMb ?? 0);
        _meanAbsPercentError.Add(Math.Abs(closed.PredictedE2eMs - report.E2eMs) / report.E2eMs);
        _meanE2e.Add(report.E2eMs);
        _meanPrompt.Add(promptTokens);
        if (report.CompletionTokens > 0)
        {
            _meanOutput.Add(report.CompletionTokens);
        }

        state.Predictor = _model.ToView(_meanE2e, _meanPrompt, _meanOutput, _meanAbsPercentError, _faithful);
        Interlocked.Increment(ref _stateVersion);
    }

    /// <summary>A reading taken after a request started already counts its blocks in kv_usage.</summary>
    private void CoverStartedReservations(DateTimeOffset takenAt)
    {
        var state = _state!;
        foreach (var id in _reservations.Keys)
        {
            ref var reservation = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_reservations, id);
            if (reservation.Started && !reservation.Covered && reservation.StartedAt <= takenAt)
            {
                reservation.Covered = true;
                state.ReservedBlocks -= reservation.Blocks;
                state.UncoveredRequests--;
            }
        }
    }

    private static int PromptBlocks(int promptTokens, int blockSize) => (promptTokens + blockSize - 1) / blockSize;

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} registered: model {Model}, GPU {Gpu}, {Blocks} KV blocks")]
    private static partial void LogRegistered(ILogger logger, string workerId, string model, string gpu, int blocks);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} deregistered")]
    private static partial void LogDeregistered(ILogger logger, string workerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} healthy: {Healthy}")]
    private static partial void LogHealthChanged(ILogger logger, string workerId, bool healthy);
}
