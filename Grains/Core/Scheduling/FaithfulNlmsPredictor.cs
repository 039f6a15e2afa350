namespace Dio.Grains.Scheduling;

/// <summary>
/// The original DIO's scalar predictor, exactly as its Go control plane implements it (ALGORITHMS.md §1.2,
/// <c>DIO/internal/scheduler/loadbalancer.go</c> and <c>constants.go</c>): ŷ = s_eff·N + b with
/// s_eff = 0.8·s_fast + 0.2·s_slow, the normalized gradient e/N, the plain-LMS bias, the clamps, the bandwidth
/// factor inside the update and the three-slot interference ring. Kept only to reproduce the paper.
/// </summary>
internal sealed class FaithfulNlmsPredictor
{
    public const double FastBlend = 0.8;
    public const double FastStep = 0.1;
    public const double SlowStep = 0.01;
    public const double BiasStep = 0.005;
    public const double MinimumSlope = 0.1;      // ms/token
    public const double MinimumBias = 0.1;       // ms
    public const double InitialSlope = 0.1;
    public const double InitialBias = 50;
    public const double VramSoftLimitMb = 4096;
    public const double VramHardLimitMb = 2400;
    public const double BandwidthPenalty = 1.5;
    private const int RingSlots = 3;

    private readonly double[] _ring = new double[RingSlots];   // zero-initialized, as Go's [3]float64
    private int _ringNext;
    private ExponentialAverage _meanLatency = new(0.1);

    public double FastSlope { get; private set; } = InitialSlope;

    public double SlowSlope { get; private set; } = InitialSlope;

    public double Bias { get; private set; } = InitialBias;

    public double EffectiveSlope => (FastBlend * FastSlope) + ((1 - FastBlend) * SlowSlope);

    /// <summary>Mean of the interference ring (ratios measured/predicted), zeros included.</summary>
    public double InterferenceFactor => (_ring[0] + _ring[1] + _ring[2]) / RingSlots;

    /// <summary>t̄: EMA of measured latency, 0 before the first sample.</summary>
    public double MeanLatencyMs => _meanLatency.ValueOr(0);

    /// <summary>Bandwidth factor of the update: 1 + (4096 − vram)/4096 below the soft limit. 0 MB means unknown.</summary>
    public static double BandwidthFactor(double freeVramMb) =>
        freeVramMb > 0 && freeVramMb < VramSoftLimitMb ? 1 + ((VramSoftLimitMb - freeVramMb) / VramSoftLimitMb) : 1;

    /// <summary>Learns from one completion: y = measured latency (ms), N = tokens (≥ 1).</summary>
    public void Update(double tokens, double measuredMs, double freeVramMb)
    {
        var n = Math.Max(1, tokens);
        var predicted = ((EffectiveSlope * n) + Bias) * BandwidthFactor(freeVramMb);
        var error = measuredMs - predicted;
        var gradient = error / n;
        FastSlope = Math.Max(MinimumSlope, FastSlope + (FastStep * gradient));
        SlowSlope = Math.Max(MinimumSlope, SlowSlope + (SlowStep * gradient));
        Bias = Math.Max(MinimumBias, Bias + (BiasStep * error));
        _ring[_ringNext] = measuredMs / (predicted + 1e-9);
        _ringNext = (_ringNext + 1) % RingSlots;
        _meanLatency.Add(measuredMs);
    }

    public FaithfulPredictorState Export() =>
        new(FastSlope, SlowSlope, Bias, [.. _ring], _ringNext, _meanLatency.Export());

    public void Import(FaithfulPredictorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        (FastSlope, SlowSlope, Bias, _ringNext) = (state.FastSlope, state.SlowSlope, state.Bias, state.RingNext % RingSlots);
        state.Ring.AsSpan(0, Math.Min(RingSlots, state.Ring.Length)).CopyTo(_ring);
        _meanLatency.Import(state.MeanLatency);
    }

    /// <summary>DIO's <c>Estimate(N, vram)</c>; +∞ under the hard VRAM block.</summary>
    public static double Estimate(double effectiveSlope, double bias, double interference, double tokens, double freeVramMb)
    {
        if (freeVramMb > 0 && freeVramMb < VramHardLimitMb && tokens > 1000)
        {
            return double.PositiveInfinity;
        }

        var baseMs = (effectiveSlope * tokens) + bias;
        var memoryCost = freeVramMb > 0 && freeVramMb < VramSoftLimitMb
            ? baseMs * (VramSoftLimitMb - freeVramMb) / VramSoftLimitMb * BandwidthPenalty
            : 0;
        return Math.Max(baseMs, memoryCost) * Math.Max(1, interference);
    }

    public double Estimate(double tokens, double freeVramMb) =>
        Estimate(EffectiveSlope, Bias, InterferenceFactor, tokens, freeVramMb);
}
