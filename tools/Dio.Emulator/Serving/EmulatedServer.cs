using Dio.Emulator.Engine.Engine;

namespace Dio.Emulator.Serving;

/// <summary>
/// One emulated vLLM server: a <see cref="VllmEngine"/> driven on a scaled real clock (engine seconds = wall seconds ×
/// time scale), requests fed in from HTTP handlers, tokens pushed out to their streams. The engine is owned by the
/// driver loop; handlers touch it only under <see cref="_gate"/>.
/// </summary>
public sealed class EmulatedServer : IEngineObserver, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _work = new(0);
    private readonly List<InferenceCall> _cancelled = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly Task _driver;
    private long _nextId;

    public EmulatedServer(int index, EngineOptions options, string model, int maxModelLen, double timeScale, TimeProvider time)
    {
        Index = index;
        Engine = new VllmEngine(options);
        Model = model;
        MaxModelLen = Math.Min(maxModelLen, Engine.NumGpuBlocks * options.BlockSize);
        TimeScale = timeScale;
        _time = time;
        _start = time.GetTimestamp();
        _driver = Task.Run(DriveAsync);
    }

    public int Index { get; }

    public VllmEngine Engine { get; }

    public string Model { get; }

    public int MaxModelLen { get; }

    public double TimeScale { get; }

    public FaultMode Fault { get; private set; }

    /// <summary>Engine time now, seconds.</summary>
    public double NowSeconds => _time.GetElapsedTime(_start).TotalSeconds * TimeScale;

    public void SetFault(FaultMode mode, double factor)
    {
        lock (_gate)
        {
            Fault = mode;
            Engine.Variation.SlowFactor = mode == FaultMode.Slow ? Math.Max(1, factor) : 1;
        }
    }

    /// <summary>Queues a request; its tokens arrive on the returned stream.</summary>
    public InferenceCall Submit(int promptTokens, int outputTokens)
    {
        InferenceCall stream;
        lock (_gate)
        {
            var request = new EngineRequest(++_nextId, promptTokens, outputTokens, NowSeconds);
            stream = new InferenceCall(request);
            request.Tag = stream;
            Engine.Add(request);
        }

        _work.Release();
        return stream;
    }

    /// <summary>The client went away: drop the request at the next step boundary.</summary>
    public void Cancel(InferenceCall stream)
    {
        lock (_gate)
        {
            if (!stream.Request.IsFinished)
            {
                stream.Cancelled = true;
                _cancelled.Add(stream);
            }
        }
    }

    /// <summary>A consistent reading of the engine, for /metrics.</summary>
    public T Read<T>(Func<VllmEngine, T> read)
    {
        lock (_gate)
        {
            return read(Engine);
        }
    }

    void IEngineObserver.OnToken(EngineRequest request, double nowSeconds) =>
        (request.Tag as InferenceCall)?.Tokens.Writer.TryWrite(request.Generated);

    void IEngineObserver.OnFinished(EngineRequest request, double nowSeconds) =>
        (request.Tag as InferenceCall)?.Tokens.Writer.TryComplete();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _driver;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _work.Dispose();
    }

    private async Task DriveAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            double seconds;
            lock (_gate)
            {
                AbortCancelled();
                seconds = Engine.HasWork ? Engine.PlanStep() : 0;
            }

            if (seconds <= 0)
            {
                await _work.WaitAsync(token);   // idle until a request arrives
                continue;
            }

            await Task.Delay(TimeSpan.FromSeconds(seconds / TimeScale), _time, token);
            lock (_gate)
            {
                Engine.CompleteStep(NowSeconds, this);
            }
        }
    }

    private void AbortCancelled()
    {
        foreach (var stream in _cancelled)
        {
            Engine.Abort(stream.Request.Id);
            stream.Tokens.Writer.TryComplete();
        }

        _cancelled.Clear();
    }
}
