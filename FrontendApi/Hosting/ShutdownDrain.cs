namespace Dio.FrontendApi.Hosting;

/// <summary>
/// Graceful shutdown, in this order: readiness turns false and new inference requests are answered 503 with
/// Retry-After (a load balancer takes the replica out; clients retry elsewhere); requests in flight finish for up to
/// <see cref="GatewayOptions.DrainTimeout"/>; then <see cref="Stopping"/> is cancelled, so the streams still open end
/// with an SSE error event and <c>[DONE]</c> and requests still waiting for a worker get a 503. None of this counts
/// against a worker. It runs in <see cref="IHostedLifecycleService.StoppingAsync"/>, before the server stops listening.
/// </summary>
internal sealed partial class ShutdownDrain(Microsoft.Extensions.Options.IOptions<GatewayOptions> options, TimeProvider time, ILogger<ShutdownDrain> logger)
    : IHostedLifecycleService, IDisposable
{
    /// <summary>How long the requests cut off at the end of the drain get to write their last event.</summary>
    private static readonly TimeSpan FinalWrites = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private volatile bool _draining;

    /// <summary>True from the start of shutdown: readiness is false and new requests are refused.</summary>
    public bool Draining => _draining;

    /// <summary>Cancelled when the drain time is up: whatever is still in flight is ended cleanly.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Inference requests being served now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Counts a request in; false (and nothing counted) once the drain has begun.</summary>
    public bool TryEnter()
    {
        Interlocked.Increment(ref _inFlight);
        if (!_draining)
        {
            return true;
        }

        Exit();
        return false;
    }

    public void Exit()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && _draining)
        {
            _idle.TrySetResult();
        }
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var timeout = options.Value.DrainTimeout;
        if (InFlight > 0 && !await IdleWithinAsync(timeout, cancellationToken))
        {
            LogCutOff(logger, InFlight, timeout.TotalSeconds);
        }

        await _stopping.CancelAsync();
        await IdleWithinAsync(FinalWrites, cancellationToken);
    }

    private async Task<bool> IdleWithinAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (InFlight == 0)
        {
            return true;
        }

        try
        {
            await _idle.Task.WaitAsync(timeout, time, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            return false;
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _stopping.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown: {InFlight} request(s) still in flight after the {Seconds} s drain; ending them")]
    private static partial void LogCutOff(ILogger logger, int inFlight, double seconds);
}
