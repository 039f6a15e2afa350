using System.Diagnostics;
using Dio.Bench.Metrics;
using Dio.Bench.Traces;
using Dio.Bench.Workloads;
using Dio.Emulator.Engine.Engine;
using Dio.Emulator.Engine.Hardware;
using Dio.Grains;
using Dio.Grains.Policies;
using Dio.Grains.Routing;
using Dio.Grains.Scheduling;

namespace Dio.Bench.Simulation;

/// <summary>
/// Replays a trace against a simulated fleet on virtual time. Requests go through the real scheduling core the grains
/// run (<see cref="RoutingPool"/>, each worker's learning model), wired by <see cref="InProcessPool"/> with no Orleans
/// runtime; each GPU is a <see cref="VllmEngine"/>. Workers learn the way they will in production: each sidecar's
/// reading reaches its worker once per scrape period (staggered), the first byte of each answer marks its lease
/// started, and each completion reports measured TTFT, E2E and usage. No request is ever lost here, so leases are
/// never reaped (the reaper is the router grain's timer). Deterministic for a given seed.
/// </summary>
public sealed class ClusterSimulation : IEngineObserver
{
    private readonly PriorityQueue<Event, (double, long)> _events = new();
    private readonly Queue<SimulatedRequest> _resolved = new();
    private readonly SimulationClock _clock = new();
    private readonly Dictionary<string, SimulatedWorker> _workers = [];
    private readonly List<SimulatedWorker> _workerList = [];
    private readonly List<SimulatedRequest> _requests = [];
    private readonly IReadOnlyList<TraceRequest> _trace;
    private readonly SimulationSettings _settings;
    private readonly string _clusterName;
    private readonly InProcessPool _fleet;
    private readonly RoutingPool _router;
    private readonly OraclePolicy? _oracle;
    private readonly LlmdLatency.LlmdLatencyPolicy? _llmdLatency;
    private long _sequence;
    private int _shed;
    private int _rejected;
    private int _openRequests;

    public ClusterSimulation(IReadOnlyList<TraceRequest> trace, string cluster, SimulationSettings settings)
    {
        _trace = trace;
        _settings = settings;
        _clusterName = cluster;
        var gpus = FleetSpec.Parse(cluster);
        var options = new SchedulerOptions
        {
            Policy = OraclePolicy.IsOracle(settings.Policy) || settings.Policy == LlmdLatency.LlmdLatencyPolicy.PolicyName
                ? RoutingPolicyNames.Dio : settings.Policy,
            InteractiveTtftSloMs = settings.SloMs,
            FaithfulSloMs = settings.FaithfulSloMs,
            Seed = settings.Seed,
            MeasuredThroughput = new Dictionary<string, double>(
                settings.Policy == RoutingPolicyNames.SmgLeastLoad && settings.MeasuredThroughput.Count == 0
                    ? FleetCapacity.GenerationThroughput(cluster, trace, settings.MaxModelLen, settings.PrefixCaching)
                    : settings.MeasuredThroughput, StringComparer.OrdinalIgnoreCase),
        };
        if (OraclePolicy.IsOracle(settings.Policy))
        {
            _oracle = new OraclePolicy(id => _workers[id], _clock, sheds: settings.Policy == OraclePolicy.SheddingName);
        }

        if (settings.Policy == LlmdLatency.LlmdLatencyPolicy.PolicyName)
        {
            _llmdLatency = new LlmdLatency.LlmdLatencyPolicy(new Random(settings.Seed), _clock);
        }

        _fleet = new InProcessPool(SimulationSettings.Model, options, _clock, (IRoutingPolicy?)_oracle ?? _llmdLatency);
        _router = _fleet.Pool;
        var random = new Random(settings.Seed);
        for (var i = 0; i < gpus.Count; i++)
        {
            var gpu = gpus[i];
            var engine = new VllmEngine(new EngineOptions(gpu)
            {
                PrefixCaching = settings.PrefixCaching,
                Seed = settings.Seed * 1000 + i,
                MaxModelLen = settings.MaxModelLen,
                SpeedScale = settings.SpeedScale.GetValueOrDefault(gpu.Name, 1),
            });
            var id = $"{gpu.Name.ToLowerInvariant()}-{i}";
            var maxModelLen = Math.Min(settings.MaxModelLen, engine.NumGpuBlocks * engine.Options.BlockSize);
            _fleet.Register(new WorkerRegistration(id, $"sim://{id}", SimulationSettings.Model, gpu.Name, maxModelLen,
                engine.NumGpuBlocks, engine.Options.BlockSize, engine.Options.ResolvedMaxNumSeqs, "small"));
            var worker = new SimulatedWorker(id, engine, random.NextDouble() * settings.ScrapeSeconds);
            _workers[id] = worker;
            _workerList.Add(worker);
        }
    }

    /// <summary>Runs to the end: every request completed, shed or rejected. <paramref name="progress"/> gets the share done.</summary>
    public SimulationResult Run(Action<double>? progress = null)
    {
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < _trace.Count; i++)
        {
            Push(_trace[i].ArrivalSeconds / _settings.Load, EventKind.Arrival, i);
        }

        _openRequests = _trace.Count;
        foreach (var worker in _workerList)
        {
            Push(worker.ScrapePhaseSeconds, EventKind.Scrape, _workerList.IndexOf(worker));
        }

        var handled = 0;
        while (_events.TryDequeue(out var next, out var key))
        {
            _clock.NowSeconds = key.Item1;
            Handle(next);
            DrainResolved();
            if (++handled % 4096 == 0)
            {
                progress?.Invoke(1 - ((double)_openRequests / Math.Max(1, _trace.Count)));
            }

            if (_openRequests == 0)
            {
                break;
            }
        }

        progress?.Invoke(1);
        return Summarize(wall.Elapsed.TotalSeconds);
    }

    void IEngineObserver.OnToken(EngineRequest request, double nowSeconds)
    {
        if (request.Generated != 1 || request.Tag is not SimulatedRequest simulated)
        {
            return;
        }

        simulated.FirstTokenSeconds ??= nowSeconds;
        var ttftMs = (nowSeconds - simulated.DispatchSeconds) * 1000;
        _fleet.Started(simulated.Outcome.LeaseId, ttftMs);
        if (simulated.PolicyState is LlmdLatency.LlmdLatencyPolicy.Pick pick)
        {
            _llmdLatency!.FirstToken(pick, ttftMs);
        }
    }

    void IEngineObserver.OnFinished(EngineRequest request, double nowSeconds)
    {
        if (request.Tag is not SimulatedRequest simulated)
        {
            return;
        }

        simulated.FinishedSeconds = nowSeconds;
        _openRequests--;
        var outcome = simulated.Outcome;
        var ttftMs = (simulated.FirstTokenSeconds!.Value - simulated.DispatchSeconds) * 1000;
        var e2eMs = (nowSeconds - simulated.DispatchSeconds) * 1000;
        _fleet.Complete(new CompletionReport(outcome.WorkerId!, outcome.LeaseId, CompletionKind.Success, ttftMs, e2eMs,
            request.PromptTokens, request.Generated));
        if (simulated.PolicyState is LlmdLatency.LlmdLatencyPolicy.Pick pick)
        {
            _llmdLatency!.Finished(pick, ttftMs, e2eMs, request.Generated);
        }
    }

    private void Handle(in Event next)
    {
        switch (next.Kind)
        {
            case EventKind.Arrival:
                Arrive(next.Index);
                break;
            case EventKind.StepDone:
                var worker = _workerList[next.Index];
                worker.Engine.CompleteStep(_clock.NowSeconds, this);
                break;
            case EventKind.Deadline:
                var waiting = _requests[next.Index];
                if (_router.Withdraw(waiting))
                {
                    Shed(waiting, RoutingPool.DeadlineExceeded(waiting.Request));
                }

                break;
            case EventKind.Scrape:
                Scrape(_workerList[next.Index]);
                Push(_clock.NowSeconds + _settings.ScrapeSeconds, EventKind.Scrape, next.Index);
                break;
        }

        KickIdleWorkers();
    }

    private void Arrive(int index)
    {
        var trace = _trace[index];
        var request = new RouteRequest(SimulationSettings.Model, trace.PromptTokens, 0, MaxTokens: 0,
            PrefixBlocks: trace.PrefixHashes ?? default(ReadOnlyMemory<ulong>));
        var simulated = new SimulatedRequest(index, trace, _clock.NowSeconds, request)
        {
            ResolvedQueue = _resolved, CapturePolicyState = _llmdLatency is null ? null : () => _llmdLatency.LastPick,
        };
        _requests.Add(simulated);
        if (_oracle is not null)
        {
            _oracle.Current = trace;
        }

        var outcome = _router.RouteOrEnqueue(request, simulated);
        simulated.Outcome = outcome;
        if (outcome.Verdict == RouteVerdict.Routed)
        {
            simulated.PolicyState = simulated.CapturePolicyState?.Invoke();
        }

        switch (outcome.Verdict)
        {
            case RouteVerdict.Routed:
                Dispatch(simulated);
                break;
            case RouteVerdict.Wait:
                var timeoutMs = _router.QueueTimeoutMs(request);
                if (double.IsFinite(timeoutMs))
                {
                    Push(_clock.NowSeconds + (timeoutMs / 1000), EventKind.Deadline, _requests.Count - 1);
                }

                break;
            case RouteVerdict.Reject:
                _rejected++;
                _openRequests--;
                break;
            default:
                Shed(simulated, outcome);
                break;
        }
    }

    private void DrainResolved()
    {
        while (_resolved.TryDequeue(out var simulated))
        {
            if (simulated.Outcome.Verdict == RouteVerdict.Routed)
            {
                Dispatch(simulated);
            }
            else if (simulated.Outcome.Verdict == RouteVerdict.Reject)
            {
                _rejected++;
                _openRequests--;
            }
            else
            {
                Shed(simulated, simulated.Outcome);
            }
        }

        KickIdleWorkers();
    }

    private void Dispatch(SimulatedRequest simulated)
    {
        simulated.DispatchSeconds = _clock.NowSeconds;
        if (simulated.PolicyState is LlmdLatency.LlmdLatencyPolicy.Pick pick)
        {
            _llmdLatency!.Dispatched(pick);
        }

        var worker = _workers[simulated.Outcome.WorkerId!];
        worker.Engine.Add(new EngineRequest(simulated.Index, simulated.Trace.PromptTokens, simulated.Trace.OutputTokens,
            _clock.NowSeconds, simulated.Trace.PrefixHashes) { Tag = simulated });
    }

    private void Shed(SimulatedRequest simulated, in RouteOutcome outcome)
    {
        simulated.Outcome = outcome;
        _shed++;
        _openRequests--;
    }

    /// <summary>Starts a step on every engine that has work and none in flight (never from inside a step's callbacks).</summary>
    private void KickIdleWorkers()
    {
        for (var i = 0; i < _workerList.Count; i++)
        {
            var worker = _workerList[i];
            if (worker.Engine.StepInFlight || !worker.Engine.HasWork)
            {
                continue;
            }

            var seconds = worker.Engine.PlanStep();
            if (seconds > 0)
            {
                worker.BusyUntil = _clock.NowSeconds + seconds;
                worker.BusySeconds += seconds;
                Push(worker.BusyUntil, EventKind.StepDone, i);
            }
        }
    }

    private void Scrape(SimulatedWorker worker)
    {
        var engine = worker.Engine;
        var generated = engine.Counters.GenerationTokens;
        var tokensPerSecond = (generated - worker.GenerationTokensAtLastScrape) / _settings.ScrapeSeconds;
        worker.GenerationTokensAtLastScrape = generated;
        _fleet.ReportTelemetry(worker.Id, new WorkerTelemetry(engine.KvUsage, engine.Running, engine.Waiting,
            engine.Counters.Preemptions, tokensPerSecond, _clock.GetUtcNow()));
    }

    private void Push(double atSeconds, EventKind kind, int index) => _events.Enqueue(new Event(kind, index), (atSeconds, _sequence++));

    private SimulationResult Summarize(double wallSeconds)
    {
        var completed = _requests.Where(r => r.FinishedSeconds is not null).ToList();
        var e2e = completed.Select(r => (r.FinishedSeconds!.Value - r.ArrivalSeconds) * 1000).Order().ToList();
        var offeredSeconds = _trace.Count < 2 ? 0 : (_trace.Max(t => t.ArrivalSeconds) - _trace.Min(t => t.ArrivalSeconds)) / _settings.Load;
        var level = ServiceLevel.Of(Records().Select(r => r.TtftMs), _settings.SloMs, offeredSeconds);
        var ttft = new ArraySegment<double>(level.OfferedTtftMs, 0, level.Completed);   // ascending, misses (+∞) after
        var makespan = Math.Max(1e-9, _clock.NowSeconds);
        return new SimulationResult
        {
            Policy = _settings.Policy,
            Load = _settings.Load,
            Cluster = _clusterName,
            Seed = _settings.Seed,
            ScrapeSeconds = _settings.ScrapeSeconds,
            SpeedScale = _settings.SpeedScaleLabel,
            GoodputRps = Math.Round(level.GoodputRps, 4),
            TtftP99OfferedMs = level.TtftP99OfferedMs,
            AdmittedFraction = Math.Round(level.AdmittedFraction, 5),
            OfferedSeconds = Math.Round(offeredSeconds, 3),
            ServiceLevel = level,
            Requests = _trace.Count,
            Completed = completed.Count,
            Shed = _shed,
            Rejected = _rejected,
            Lost = _trace.Count - completed.Count - _shed - _rejected,
            Preemptions = _workerList.Sum(w => w.Engine.Counters.Preemptions),
            TtftP50Ms = Percentiles.Of(ttft, 50),
            TtftP90Ms = Percentiles.Of(ttft, 90),
            TtftP99Ms = Percentiles.Of(ttft, 99),
            E2eP50Ms = Percentiles.Of(e2e, 50),
            E2eP90Ms = Percentiles.Of(e2e, 90),
            E2eP99Ms = Percentiles.Of(e2e, 99),
            SloAttainment = level.SloAttainment,
            SloMs = _settings.SloMs,
            TtftPredictionMape = Mape(completed, r => r.Outcome.PredictedTtftMs, r => (r.FirstTokenSeconds!.Value - r.DispatchSeconds) * 1000),
            E2ePredictionMape = Mape(completed, r => r.Outcome.PredictedE2eMs, r => (r.FinishedSeconds!.Value - r.DispatchSeconds) * 1000),
            WorkerUtilization = _workerList.ToDictionary(w => w.Id, w => Math.Round(w.BusySeconds / makespan, 4)),
            RequestsPerWorker = _workerList.ToDictionary(w => w.Id, w => completed.Count(r => r.Outcome.WorkerId == w.Id)),
            LearnedIdleTtft1kMs = _workerList.ToDictionary(w => w.Id,
                w => Math.Round(_fleet.Snapshot(w.Id)?.PredictedTtftMs ?? double.NaN, 1)),
            ShedByReason = _requests.Where(r => r.Outcome.Verdict == RouteVerdict.Shed)
                .GroupBy(r => r.Outcome.ShedReason.ToString()).ToDictionary(g => g.Key, g => g.Count()),
            SimulatedSeconds = Math.Round(_clock.NowSeconds, 3),
            WallSeconds = Math.Round(wallSeconds, 3),
        };
    }

    /// <summary>What happened to each request, in arrival order, for timelines; valid after <see cref="Run"/>.</summary>
    public IReadOnlyList<RequestRecord> Records() => [.. _requests.Select(r => new RequestRecord(r.ArrivalSeconds,
        r.FirstTokenSeconds is { } first && r.FinishedSeconds is not null ? (first - r.ArrivalSeconds) * 1000 : null,
        r.Outcome.Verdict == RouteVerdict.Shed, r.Outcome.Verdict == RouteVerdict.Reject))];

    private static double Mape(List<SimulatedRequest> completed, Func<SimulatedRequest, double> predicted, Func<SimulatedRequest, double> actual)
    {
        var errors = completed.Where(r => actual(r) > 0).Select(r => Math.Abs(predicted(r) - actual(r)) / actual(r)).ToList();
        return errors.Count == 0 ? double.NaN : Math.Round(errors.Average(), 4);
    }

    private enum EventKind
    {
        Arrival,
        StepDone,
        Deadline,
        Scrape,
    }

    private readonly record struct Event(EventKind Kind, int Index);
}
