namespace Dio.Grains;

/// <summary>
/// A worker grain's published state, pushed one-way to its router grain whenever it changes (registration, health,
/// a reading, learning). Immutable and versioned: the router keeps a view only if it is newer than the one it holds
/// (Orleans' DeploymentLoadPublisher rule, "take only if newer"), so late or reordered pushes are harmless.
/// </summary>
/// <param name="Epoch">When the publishing activation started (UTC ticks): a re-activation supersedes every view of
/// the activation before it.</param>
/// <param name="Sequence">Counts the views of one activation.</param>
/// <param name="Registration">What the worker registered.</param>
/// <param name="Healthy">The worker grain's verdict.</param>
/// <param name="Telemetry">Latest engine reading, null before the first.</param>
/// <param name="Predictor">What its predictors learned.</param>
[GenerateSerializer, Immutable, Alias("dio.worker-view")]
public sealed record WorkerView(
    [property: Id(0)] long Epoch,
    [property: Id(1)] long Sequence,
    [property: Id(2)] WorkerRegistration Registration,
    [property: Id(3)] bool Healthy,
    [property: Id(4)] WorkerTelemetry? Telemetry,
    [property: Id(5)] PredictorView Predictor)
{
    /// <summary>Whether this view was published after <paramref name="other"/>.</summary>
    public bool IsNewerThan(WorkerView? other) =>
        other is null || Epoch > other.Epoch || (Epoch == other.Epoch && Sequence > other.Sequence);
}
