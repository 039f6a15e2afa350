namespace Dio.Grains.Workers;

/// <summary>
/// Everything one worker knows about itself, without Orleans: registration, health, the latest reading and the
/// learner, and the versioned <see cref="WorkerView"/> it publishes. The worker grain and the simulator both drive
/// it; each change that a router should see bumps the view's sequence.
/// </summary>
internal sealed class WorkerModel(long epoch, HealthRules rules, bool adaptiveBlend = true)
{
    private long _sequence;
    private WorkerView? _view;

    public WorkerRegistration? Registration { get; private set; }

    public WorkerHealth Health { get; } = new(rules);

    public WorkerTelemetry? Telemetry { get; private set; }

    public WorkerLearner Learner { get; } = new(adaptiveBlend);

    /// <summary>The view to publish; null while not registered.</summary>
    public WorkerView? View => Registration is null ? null : _view ??= new WorkerView(epoch, ++_sequence, Registration,
        Health.Healthy, Telemetry, Learner.View);

    public void Register(WorkerRegistration registration)
    {
        Registration = registration;
        Changed();
    }

    /// <summary>Leaves: the registration, the reading and what was learned are forgotten.</summary>
    public void Forget()
    {
        Registration = null;
        Telemetry = null;
        Learner.Reset();
        Changed();
    }

    /// <summary>Applies a reading; false when nothing a router sees changed (a reading older than the one held is not
    /// kept: piggybacked and polled readings race).</summary>
    public bool ApplyTelemetry(WorkerTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        var healthChanged = Health.OnReading(telemetry.TakenAt);
        if (Telemetry is { } held && held.TakenAt > telemetry.TakenAt)
        {
            return Changed(healthChanged);   // an older reading can still clear a poll failure
        }

        Telemetry = telemetry;
        return Changed(true);
    }

    /// <summary>Learns from a closed lease, or counts its transport failure; true when the view changed.</summary>
    public bool Apply(in LearningSample sample, DateTimeOffset now)
    {
        return Changed(sample.Kind is CompletionKind.FailedBeforeFirstByte or CompletionKind.FailedMidStream
            ? Health.OnTransportFailure(now)
            : Learner.Learn(sample, Telemetry?.FreeVramMb ?? 0));
    }

    /// <summary>A poll failed; true when the health verdict changed.</summary>
    public bool PollFailed() => Changed(Health.OnPollFailed());

    private void Changed() => _view = null;

    /// <summary>Drops the cached view when <paramref name="changed"/>, and returns it.</summary>
    private bool Changed(bool changed)
    {
        if (changed)
        {
            Changed();
        }

        return changed;
    }
}
