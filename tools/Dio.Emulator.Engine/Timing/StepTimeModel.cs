using Dio.Emulator.Engine.Hardware;

namespace Dio.Emulator.Engine.Timing;

/// <summary>
/// Roofline step time (ALGORITHMS.md §4.3): t = max(bytes/(η_w·BW), FLOPs/(η_pf·F)) + 0.5 ms + 4.4 µs per request,
/// with FLOPs = 2·N_lin·(Σp + n_dec) + 2·N_head·(sampling rows) + 4·L·d·Σ p(c + p/2) + 4·L·d·Σk and
/// bytes = W_read + κ·(Σk + Σ(c + p)). Calibrated against the measured anchors of §4.4 in the engine tests.
/// </summary>
public sealed class StepTimeModel(GpuProfile gpu, ModelSpec model)
{
    public const double FixedOverheadSeconds = 0.5e-3;
    public const double PerRequestOverheadSeconds = 4.4e-6;

    private readonly double _weightBytesRead = model.WeightBytesReadPerStep(gpu.Quantization);
    private readonly double _linear = model.LinearParameters;
    private readonly double _head = model.HeadParameters;
    private readonly double _attention = 4.0 * model.Layers * model.Hidden;
    private readonly double _kvBytesPerToken = model.KvBytesPerToken;
    private readonly double _bandwidth = gpu.BandwidthBytesPerSecond * gpu.MemoryEfficiency;
    private readonly double _flops = gpu.PeakFlops * gpu.PrefillEfficiency;

    public GpuProfile Gpu => gpu;

    public ModelSpec Model => model;

    /// <summary>Seconds one step takes, before noise and drift.</summary>
    public double Seconds(in BatchShape batch)
    {
        if (batch.IsEmpty)
        {
            return 0;
        }

        var flops = (2 * _linear * (batch.PrefillTokens + batch.DecodeRequests))
            + (2 * _head * (batch.PrefillsSampling + batch.DecodeRequests))
            + (_attention * batch.PrefillAttention)
            + (_attention * batch.DecodeContext);
        var bytes = _weightBytesRead + (_kvBytesPerToken * (batch.DecodeContext + batch.PrefillContext));
        return Math.Max(bytes / _bandwidth, flops / _flops) + FixedOverheadSeconds + (PerRequestOverheadSeconds * batch.Requests);
    }

    /// <summary>Single-stream decode step at a context of <paramref name="context"/> tokens (seconds).</summary>
    public double DecodeSeconds(int batchSize, double context)
    {
        var batch = default(BatchShape);
        for (var i = 0; i < batchSize; i++)
        {
            batch.AddDecode(context);
        }

        return Seconds(batch);
    }

    /// <summary>An idle prefill of <paramref name="promptTokens"/> in one step (seconds).</summary>
    public double PrefillSeconds(double promptTokens)
    {
        var batch = default(BatchShape);
        batch.AddPrefill(promptTokens, 0, samples: true);
        return Seconds(batch);
    }
}
