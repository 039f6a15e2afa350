using Dio.Grains.Observability;
using Dio.Grains.Routing;
using Dio.Grains.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace Dio.Grains.Workers;

/// <summary>
/// One vLLM endpoint (key: worker id), a thin grain over <see cref="WorkerModel"/>: registration, health, telemetry
/// and the learned predictors. It publishes a versioned <see cref="WorkerView"/> to its model's router grain after
/// every change, one-way, and never shares memory with it. Learned state is written at most once per
/// <see cref="WorkerGrainOptions.PersistInterval"/> and on deactivation, so a busy worker costs storage a write every
/// few seconds, not one per request.
/// </summary>
internal sealed partial class WorkerGrain(
    [PersistentState("worker", StorageNames.Dio)] IPersistentState<WorkerGrainState> saved,
    IOptions<SchedulerOptions> scheduler, IOptions<WorkerGrainOptions> options, TimeProvider time, IHttpClientFactory clients,
    WorkerInstruments instruments, ILogger<WorkerGrain> logger) : Grain, IWorkerGrain
{
    private WorkerModel _model = null!;
    private (string Model, IRouterGrain Grain)? _router;
    private WorkerMetrics _metrics = null!;
    private TelemetryReader _reader = null!;
    private IGrainTimer? _pollTimer;
    private IGrainTimer? _persistTimer;
    private bool _dirty;
    private bool? _registryHealthy;   // the verdict the registry was last told; null: not told by this activation

    private string WorkerId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        _model = new WorkerModel(time.GetUtcNow().UtcTicks,
            new HealthRules(settings.FailedPollsToUnhealthy, settings.TransportFailuresToUnhealthy), scheduler.Value.AdaptiveBlend);
        _reader = new TelemetryReader(clients.CreateClient(TelemetryReader.ClientName), time);
        _metrics = instruments.Track(WorkerId);
        if (saved.State.Registration is { } registration)
        {
            if (saved.State.Learned is { } learned)
            {
                _model.Learner.Import(learned);
            }

            _model.Register(registration);
            StartTimers();
            Publish();
            LogRestored(logger, WorkerId, registration.Model, _model.Learner.View.Observations);
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _metrics.Dispose();   // this silo stops exporting the worker; the silo of its next activation will
        if (_dirty && saved.State.Registration is not null)
        {
            await PersistAsync();
        }
    }

    public async Task<WorkerSnapshot> RegisterAsync(WorkerRegistration registration, RegistrationSource source)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (!string.Equals(registration.WorkerId, WorkerId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Registration is for '{registration.WorkerId}', not '{WorkerId}'.", nameof(registration));
        }

        var previous = saved.State.Registration;
        if (previous is not null && !string.Equals(previous.Model, registration.Model, StringComparison.Ordinal))
        {
            await Router(previous.Model).RemoveWorkerAsync(WorkerId);
        }

        _model.Register(registration);
        saved.State.Registration = registration;
        saved.State.Source = source;
        await PersistAsync(mustSucceed: true);   // a registration that was not stored would be lost with this silo
        await Registry.AddAsync(new FleetEntry(WorkerId, registration.Model, source, _model.Health.Healthy));
        _registryHealthy = _model.Health.Healthy;
        StartTimers();
        Publish();
        LogRegistered(logger, WorkerId, registration.Model, registration.GpuProfile, registration.NumGpuBlocks);
        return Snapshot()!;
    }

    public async Task<bool> DeregisterAsync()
    {
        if (saved.State.Registration is not { } registration)
        {
            return false;
        }

        await Router(registration.Model).RemoveWorkerAsync(WorkerId);
        await Registry.RemoveAsync(WorkerId);
        _pollTimer?.Dispose();
        _persistTimer?.Dispose();
        _pollTimer = _persistTimer = null;
        _model.Forget();
        _metrics.Clear();
        _dirty = false;
        _registryHealthy = null;
        await saved.ClearStateAsync();
        saved.State = new WorkerGrainState();
        LogDeregistered(logger, WorkerId);
        DeactivateOnIdle();
        return true;
    }

    public Task<bool> HeartbeatAsync() => Task.FromResult(saved.State.Registration is not null);

    public Task ReportTelemetryAsync(WorkerTelemetry telemetry)
    {
        if (_model.Registration is not null && _model.ApplyTelemetry(telemetry))
        {
            Publish();
        }

        return Task.CompletedTask;
    }

    public Task LearnAsync(LearningSample sample)
    {
        if (Learn(sample))
        {
            Publish();
        }

        return Task.CompletedTask;
    }

    public Task LearnManyAsync(LearningSample[] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var learned = false;
        foreach (var sample in samples)
        {
            learned |= Learn(sample);
        }

        if (learned)
        {
            Publish();   // one view for the whole batch: the router sees every sample's effect at once
        }

        return Task.CompletedTask;
    }

    /// <summary>Learns one sample (not yet published); false when it taught nothing.</summary>
    private bool Learn(in LearningSample sample)
    {
        if (_model.Registration is null || !_model.Apply(sample, time.GetUtcNow()))
        {
            return false;
        }

        _dirty |= sample.Kind == CompletionKind.Success;
        _metrics.Learned(sample);
        return true;
    }

    public Task<WorkerSnapshot?> GetSnapshotAsync() => Task.FromResult(Snapshot());

    public Task<WorkerView?> GetViewAsync() => Task.FromResult(_model.View);

    public Task WakeAsync() => Task.CompletedTask;

    private IFleetRegistryGrain Registry => GrainFactory.GetGrain<IFleetRegistryGrain>(IFleetRegistryGrain.Key);

    /// <summary>This worker's router: one reference per model, made once (GetGrain is not free; see GrainReferences).</summary>
    private IRouterGrain Router(string model)
    {
        if (_router is not { } known || !string.Equals(known.Model, model, StringComparison.Ordinal))
        {
            _router = known = (model, GrainFactory.GetGrain<IRouterGrain>(model));
        }

        return known.Grain;
    }

    private WorkerSnapshot? Snapshot() => _model.View is { } view ? WorkerSnapshots.From(view, time.GetUtcNow()) : null;

    /// <summary>Pushes the current view to the router grain (one-way), and the health verdict to the registry when it
    /// is not the one the registry last heard from this activation (so a re-activation re-publishes it too).</summary>
    private void Publish()
    {
        if (_model.View is not { } view)
        {
            return;
        }

        _ = Router(view.Registration.Model).UpdateWorkerAsync(view);
        _metrics.Publish(view);
        if (_registryHealthy != view.Healthy)
        {
            if (_registryHealthy is not null)
            {
                LogHealthChanged(logger, WorkerId, view.Healthy);
            }

            _registryHealthy = view.Healthy;
            _ = Registry.SetHealthAsync(WorkerId, view.Healthy);
        }
    }

    private void StartTimers()
    {
        var settings = options.Value;
        _pollTimer ??= this.RegisterGrainTimer(PollAsync,
            new GrainTimerCreationOptions(settings.PollInterval, settings.PollInterval) { Interleave = true, KeepAlive = true });
        _persistTimer ??= this.RegisterGrainTimer(PersistIfChangedAsync,
            new GrainTimerCreationOptions(settings.PersistInterval, settings.PersistInterval) { KeepAlive = true });
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        if (_model.Registration is not { } registration)
        {
            return;
        }

        var reading = await _reader.ReadAsync(registration.Endpoint, options.Value.PollInterval * 0.8, cancellationToken);
        var changed = reading is null ? _model.PollFailed() : _model.ApplyTelemetry(reading);
        if (reading is null)
        {
            LogPollFailed(logger, WorkerId, _reader.LastFailure);
        }

        if (changed)
        {
            Publish();
        }
    }

    private Task PersistIfChangedAsync(CancellationToken cancellationToken) => _dirty ? PersistAsync() : Task.CompletedTask;

    private async Task PersistAsync(bool mustSucceed = false)
    {
        saved.State.Learned = _model.Learner.Export();
        _dirty = false;
        try
        {
            await saved.WriteStateAsync();
        }
        catch (InconsistentStateException e) when (!mustSucceed)
        {
            // A write that timed out while storage was away may still have landed, moving the stored ETag on: take the
            // new ETag, keep what this activation knows (it is newer), and write again next tick.
            _dirty = true;
            LogPersistFailed(logger, WorkerId, e.Message);
            await RefreshETagAsync();
        }
        catch (Exception e) when (!mustSucceed && e is not OperationCanceledException)
        {
            // Storage down (Redis restarting): routing goes on from memory; the next tick writes again.
            _dirty = true;
            LogPersistFailed(logger, WorkerId, e.Message);
        }
    }

    private async Task RefreshETagAsync()
    {
        var (registration, source) = (saved.State.Registration, saved.State.Source);
        try
        {
            await saved.ReadStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPersistFailed(logger, WorkerId, e.Message);
        }

        saved.State.Registration = registration;
        saved.State.Source = source;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} registered: model {Model}, GPU {Gpu}, {Blocks} KV blocks")]
    private static partial void LogRegistered(ILogger logger, string workerId, string model, string gpu, int blocks);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} re-activated for model {Model} with {Observations} learned completions")]
    private static partial void LogRestored(ILogger logger, string workerId, string model, long observations);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} deregistered")]
    private static partial void LogDeregistered(ILogger logger, string workerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} healthy: {Healthy}")]
    private static partial void LogHealthChanged(ILogger logger, string workerId, bool healthy);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telemetry poll of {WorkerId} failed: {Reason}")]
    private static partial void LogPollFailed(ILogger logger, string workerId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not persist worker {WorkerId}; will retry: {Reason}")]
    private static partial void LogPersistFailed(ILogger logger, string workerId, string reason);
}
