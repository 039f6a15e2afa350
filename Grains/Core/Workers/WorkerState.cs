using Dio.Grains.Scheduling;

namespace Dio.Grains.Workers;

/// <summary>
/// One member of a routing pool as the pool sees it: the immutable parts of the worker's latest published
/// <see cref="WorkerView"/> (registration, health, telemetry, predictor), swapped wholesale, next to the live
/// counts the pool derives from its own leases (YARP's DestinationState shape). Only the owning
/// <see cref="Routing.RoutingPool"/> writes it, one turn at a time; no worker grain ever sees this object.
/// Tests build these by hand to drive policies.
/// </summary>
internal sealed class WorkerState(WorkerRegistration registration)
{
    private volatile WorkerRegistration _registration = registration;
    private volatile WorkerTelemetry? _telemetry;
    private volatile PredictorView _predictor = LatencyModelViews.Prior;
    private volatile bool _healthy = true;
    private volatile int _usedBlocks;
    private volatile int _engineLoad;
    private volatile int _inFlight;
    private volatile int _reservedBlocks;
    private volatile int _uncoveredRequests;
    private volatile int _activePromptBlocks;
    private long _pendingPrefillTokens;

    public WorkerRegistration Registration
    {
        get => _registration;
        set
        {
            _registration = value;
            RefreshConcurrency();
        }
    }

    public string WorkerId => _registration.WorkerId;

    /// <summary>The published view this state was last updated from; null for hand-built states.</summary>
    public WorkerView? View { get; private set; }

    /// <summary>Takes the immutable parts of a newer view.</summary>
    public void Apply(WorkerView view)
    {
        View = view;
        Registration = view.Registration;
        Healthy = view.Healthy;
        Telemetry = view.Telemetry;
        Predictor = view.Predictor;
    }

    /// <summary>Stable small index given by the router pool, used by the prefix index.</summary>
    public int Slot { get; set; } = -1;

    public bool Healthy { get => _healthy; set => _healthy = value; }

    public WorkerTelemetry? Telemetry
    {
        get => _telemetry;
        set
        {
            _telemetry = value;
            var blocks = _registration.NumGpuBlocks;
            _usedBlocks = value is null ? 0 : (int)Math.Round(Math.Clamp(value.KvUsage, 0, 1) * blocks);
            _engineLoad = value is null ? 0 : value.Running + value.Waiting;
        }
    }

    public PredictorView Predictor
    {
        get => _predictor;
        set
        {
            _predictor = value;
            RefreshConcurrency();
        }
    }

    /// <summary>C_w of §2.4, cached: it changes only with the registration or the learned means, and the router
    /// reads it for every worker on every decision.</summary>
    public double Concurrency { get; private set; } = EffectiveConcurrency(registration, LatencyModelViews.Prior);

    /// <summary>KV blocks in use according to the latest reading: round(kv_usage × G).</summary>
    public int UsedBlocks => _usedBlocks;

    /// <summary>Running + waiting according to the latest reading.</summary>
    public int EngineLoad => _engineLoad;

    /// <summary>Requests sent by DIO and not completed.</summary>
    public int InFlight { get => _inFlight; set => _inFlight = value; }

    /// <summary>KV blocks leased for requests the latest reading does not cover yet.</summary>
    public int ReservedBlocks { get => _reservedBlocks; set => _reservedBlocks = value; }

    /// <summary>Requests dispatched but not yet covered by a reading: the in-flight credit between scrapes.</summary>
    public int UncoveredRequests { get => _uncoveredRequests; set => _uncoveredRequests = value; }

    /// <summary>Σ prompt blocks of in-flight requests (Dynamo's router-local active blocks).</summary>
    public int ActivePromptBlocks { get => _activePromptBlocks; set => _activePromptBlocks = value; }

    /// <summary>Prompt tokens of requests dispatched but not yet started (no first byte).</summary>
    public long PendingPrefillTokens { get => Volatile.Read(ref _pendingPrefillTokens); set => Volatile.Write(ref _pendingPrefillTokens, value); }

    private void RefreshConcurrency() => Concurrency = EffectiveConcurrency(_registration, _predictor);

    private static double EffectiveConcurrency(WorkerRegistration registration, PredictorView predictor) =>
        QueueWait.EffectiveConcurrency(registration.MaxNumSeqs, registration.KvCapacityTokens, predictor.MeanPromptTokens,
            predictor.MeanOutputTokens);

    /// <summary>Sequences the worker is serving, by the larger of DIO's count and the engine's (§2.4).</summary>
    public int Load => Math.Max(_inFlight, EngineLoad);
}
