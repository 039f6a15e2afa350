using Dio.Emulator.Engine.Timing;

namespace Dio.Emulator.Engine.Engine;

/// <summary>
/// vLLM's V1 engine as routing sees it (ALGORITHMS.md §4.5): continuous batching with chunked prefill under a
/// per-step token budget, running requests first and then waiting ones FCFS while the budget, max_num_seqs and KV
/// blocks allow; when a running request cannot get its next block, the newest running request is preempted,
/// its blocks freed and its progress dropped (recompute), and it goes back to the head of the waiting queue.
/// Driven from outside: <see cref="PlanStep"/> fixes a batch and says how long it takes, <see cref="CompleteStep"/>
/// applies it. The simulator calls them on virtual time, the HTTP emulator on a scaled real clock.
/// Not thread-safe: one owner drives it.
/// </summary>
public sealed partial class VllmEngine
{
    private readonly List<EngineRequest> _running = [];
    private readonly Deque<EngineRequest> _waiting = new();
    private readonly List<(EngineRequest Request, int Tokens)> _batch = [];
    private readonly StepTimeModel _timing;
    private readonly SpeedVariation _variation;
    private readonly PrefixCache? _prefixCache;
    private readonly int _blockSize;
    private readonly int _budget;
    private readonly int _maxNumSeqs;
    private long _admitted;

    public VllmEngine(EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _timing = new StepTimeModel(options.Gpu, options.Model);
        _variation = options.CreateVariation();
        _blockSize = options.BlockSize;
        _budget = options.ResolvedMaxNumBatchedTokens;
        _maxNumSeqs = options.ResolvedMaxNumSeqs;
        NumGpuBlocks = options.ResolvedNumGpuBlocks;
        if (options.PrefixCaching)
        {
            _prefixCache = new PrefixCache(Math.Max(1, NumGpuBlocks * _blockSize / options.PrefixHashTokens));
        }
    }

    public EngineOptions Options { get; }

    public StepTimeModel Timing => _timing;

    public SpeedVariation Variation => _variation;

    public int NumGpuBlocks { get; }

    public int UsedBlocks { get; private set; }

    public int FreeBlocks => NumGpuBlocks - UsedBlocks;

    /// <summary>vllm:kv_cache_usage_perc (a fraction).</summary>
    public double KvUsage => NumGpuBlocks == 0 ? 0 : (double)UsedBlocks / NumGpuBlocks;

    public int Running => _running.Count;

    public int Waiting => _waiting.Count;

    public bool HasWork => _running.Count > 0 || _waiting.Count > 0;

    /// <summary>A batch is planned and not yet completed.</summary>
    public bool StepInFlight { get; private set; }

    public EngineCounters Counters { get; } = new();

    /// <summary>Queues a request (FCFS). The host has already refused one over max_model_len, as vLLM's server does.</summary>
    public void Add(EngineRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        _waiting.PushBack(request);
    }

    /// <summary>Drops a request (client gone). Not while a step that includes it is in flight.</summary>
    public bool Abort(long id)
    {
        if (_waiting.Remove(r => r.Id == id))
        {
            Counters.Aborted++;
            return true;
        }

        var index = _running.FindIndex(r => r.Id == id);
        if (index < 0 || StepInFlight)
        {
            return false;
        }

        Free(_running[index]);
        _running.RemoveAt(index);
        Counters.Aborted++;
        return true;
    }

    /// <summary>Fixes the next batch (allocating blocks and preempting as needed) and returns its duration in seconds,
    /// 0 when there is nothing to run.</summary>
    public double PlanStep()
    {
        _batch.Clear();
        var budget = _budget;
        var shape = default(BatchShape);
        var preempted = false;

        // Running requests first, in admission order; preemption takes from the end (the newest).
        for (var i = 0; i < _running.Count && budget > 0; i++)
        {
            var request = _running[i];
            var tokens = Math.Min(request.Length - request.Computed, budget);
            var need = BlocksFor(request.Computed + tokens) - request.Blocks;
            var selfPreempted = false;
            while (need > FreeBlocks)
            {
                var victim = _running[^1];
                Preempt(victim);
                preempted = true;
                if (ReferenceEquals(victim, request))
                {
                    selfPreempted = true;
                    break;
                }
            }

            if (selfPreempted)
            {
                break;
            }

            Allocate(request, need);
            budget -= tokens;
            Schedule(request, tokens, ref shape);
        }

        // Then waiting requests, first come first served; V1 admits none in a step that had to preempt.
        while (!preempted && _waiting.Count > 0 && budget > 0 && _running.Count < _maxNumSeqs)
        {
            var request = _waiting.PeekFront();
            ApplyPrefixCache(request);
            var tokens = Math.Min(request.Length - request.Computed, budget);
            var need = BlocksFor(request.Computed + tokens) - request.Blocks;
            if (need > FreeBlocks)
            {
                break;
            }

            _waiting.PopFront();
            Allocate(request, need);
            _running.Add(request);
            _admitted++;
            budget -= tokens;
            Schedule(request, tokens, ref shape);
        }

        if (_batch.Count == 0)
        {
            return 0;
        }

        StepInFlight = true;
        Counters.Steps++;
        var seconds = _timing.Seconds(shape) * _variation.Next(_admitted);
        Counters.BusySeconds += seconds;
        return seconds;
    }

    /// <summary>Applies the planned batch at <paramref name="nowSeconds"/>: tokens computed, tokens sampled, requests finished.</summary>
    public void CompleteStep(double nowSeconds, IEngineObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        StepInFlight = false;
        var finished = false;
        foreach (var (request, tokens) in _batch)
        {
            request.Computed += tokens;
            if (request.Computed < request.Length)
            {
                continue;   // a prefill chunk that did not reach the end
            }

            request.Generated++;
            Counters.GenerationTokens++;
            if (request.FirstTokenSeconds is null)
            {
                request.FirstTokenSeconds = nowSeconds;
                Counters.TimeToFirstToken.Record(nowSeconds - request.ArrivalSeconds);
                if (request.PrefixHashes is { } hashes)
                {
                    _prefixCache?.Insert(hashes);
                }
            }
            else
            {
                Counters.InterTokenLatency.Record(nowSeconds - request.LastTokenSeconds);
            }

            request.LastTokenSeconds = nowSeconds;
            observer.OnToken(request, nowSeconds);
            if (request.Generated >= request.OutputTokens)
            {
                request.FinishedSeconds = nowSeconds;
                Free(request);
                finished = true;
                Counters.Finished++;
                Counters.EndToEnd.Record(nowSeconds - request.ArrivalSeconds);
                observer.OnFinished(request, nowSeconds);
            }
        }

        if (finished)
        {
            _running.RemoveAll(static r => r.IsFinished);
        }

        _batch.Clear();
    }

    private void Schedule(EngineRequest request, int tokens, ref BatchShape shape)
    {
        _batch.Add((request, tokens));
        var remaining = request.Length - request.Computed;
        if (remaining > 1)
        {
            shape.AddPrefill(tokens, request.Computed, samples: tokens == remaining);
            Counters.PromptTokens += tokens;
        }
        else
        {
            shape.AddDecode(request.Computed);
        }
    }

    private void ApplyPrefixCache(EngineRequest request)
    {
        if (_prefixCache is null || request.Computed != 0 || request.PrefixHashes is not { Length: > 0 } hashes)
        {
            return;
        }

        var matched = _prefixCache.MatchLeading(hashes);
        // Like vLLM, always leave at least the last prompt token to compute, so the step can sample.
        request.CachedTokens = Math.Min(matched * Options.PrefixHashTokens, request.PromptTokens - 1);
        request.Computed = request.CachedTokens;
        Counters.PrefixCacheQueries += request.PromptTokens;
        Counters.PrefixCacheHits += request.CachedTokens;
    }

    private void Preempt(EngineRequest victim)
    {
        _running.RemoveAt(_running.Count - 1);
        Free(victim);
        victim.Computed = 0;
        victim.Preemptions++;
        Counters.Preemptions++;
        _waiting.PushFront(victim);
    }

    private void Allocate(EngineRequest request, int blocks)
    {
        if (blocks <= 0)
        {
            return;
        }

        request.Blocks += blocks;
        UsedBlocks += blocks;
    }

    private void Free(EngineRequest request)
    {
        UsedBlocks -= request.Blocks;
        request.Blocks = 0;
    }

    private int BlocksFor(int tokens) => (tokens + _blockSize - 1) / _blockSize;
}
