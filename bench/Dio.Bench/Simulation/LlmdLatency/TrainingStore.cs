namespace Dio.Bench.Simulation.LlmdLatency;

/// <summary>
/// The predictor's training window (<c>training_server.py</c> 244-328, 1264-1276): samples kept per
/// (queue, KV, prefix) bucket in a FIFO of 500 (<c>LATENCY_MAX_TRAINING_DATA_SIZE_PER_BUCKET</c>), one sample in ten
/// held out for testing (<c>TEST_TRAIN_RATIO</c> 0.1) and never trained on.
/// </summary>
internal sealed class TrainingStore
{
    public const int PerBucket = 500;
    private const int HoldOutEvery = 10;

    private readonly Dictionary<(int, int, int), Queue<(LatencyFeatures Features, double Label)>> _buckets = [];
    private long _offered;

    public int Count { get; private set; }

    public void Add(in LatencyFeatures features, double label)
    {
        if (++_offered % HoldOutEvery == 0)
        {
            return;
        }

        if (!_buckets.TryGetValue(features.Bucket, out var bucket))
        {
            _buckets[features.Bucket] = bucket = new Queue<(LatencyFeatures, double)>();
        }

        if (bucket.Count == PerBucket)
        {
            bucket.Dequeue();
            Count--;
        }

        bucket.Enqueue((features, label));
        Count++;
    }

    /// <summary>Samples in the window taken with a queue (waiting &gt; 0) or without, as asked.</summary>
    public int CountOf(bool queued) => _buckets.Values.Sum(b => b.Count(s => (s.Features.Waiting > 0) == queued));

    /// <summary>Every sample in the window, queued (waiting &gt; 0) or not as asked; null for both.</summary>
    public List<(LatencyFeatures Features, double Label)> Samples(bool? queued = null) =>
        [.. _buckets.Values.SelectMany(b => b).Where(s => queued is null || (s.Features.Waiting > 0) == queued)];
}
