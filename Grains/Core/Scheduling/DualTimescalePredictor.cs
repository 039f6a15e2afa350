namespace Dio.Grains.Scheduling;

/// <summary>
/// One latency channel (TTFT or TPOT) learned on two timescales (ALGORITHMS.md §2.3): a fast NLMS filter for
/// drift and throttling, a slow one for accuracy under noise, mixed by <see cref="AdaptiveCombiner"/>. Pure and
/// single-threaded: the owning worker grain serializes calls.
/// </summary>
/// <remarks>
/// DIO's constants μ_f = 0.1 and μ_s = 0.01 are per-direction rates: a scalar filter reaches 90% of a step in
/// ln 0.1 / ln 0.9 ≈ 22 updates (fast) and ≈ 230 (slow). A d-dimensional NLMS on centered, scaled regressors spreads
/// each update over d directions, so its step is μ·d to keep those time constants in every direction; μ·d stays
/// well inside the stability bound μ &lt; 2 for our d ≤ 4.
/// </remarks>
internal sealed class DualTimescalePredictor
{
    public const double FastRate = 0.1;
    public const double SlowRate = 0.01;

    private readonly NlmsFilter _fast;
    private readonly NlmsFilter _slow;
    private readonly AdaptiveCombiner _combiner;
    private RegressorScaling _scaling;

    /// <param name="initial">Prior coefficients (shared by both filters).</param>
    /// <param name="floor">Per-coefficient lower clamps.</param>
    /// <param name="dimensions">Regressors in use, the constant included (≤ 4).</param>
    /// <param name="minimum">Lowest prediction returned (ms), so a score never rewards a negative time.</param>
    /// <param name="adaptive">Adaptive λ (DIO-R) or DIO's fixed 0.8.</param>
    public DualTimescalePredictor(in Vector4 initial, in Vector4 floor, int dimensions, double minimum, bool adaptive = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimensions, Vector4.Length);
        _fast = new NlmsFilter(initial, floor, FastRate * dimensions);
        _slow = new NlmsFilter(initial, floor, SlowRate * dimensions);
        _combiner = new AdaptiveCombiner(adaptive);
        Minimum = minimum;
    }

    public long Observations { get; private set; }

    public double FastWeight => _combiner.Lambda;

    public double Minimum { get; }

    public double Predict(in Vector4 x) => Math.Max(Minimum, _combiner.Combine(_fast.Predict(x), _slow.Predict(x)));

    /// <summary>
    /// λβ_f + (1−λ)β_s. The combination is linear in β, so this one vector predicts exactly what
    /// <see cref="Predict"/> does (before the floor), letting the router predict lock-free with a dot product.
    /// </summary>
    public Vector4 EffectiveCoefficients
    {
        get
        {
            var lambda = _combiner.Lambda;
            var fast = _fast.Coefficients;
            var slow = _slow.Coefficients;
            var mixed = default(Vector4);
            for (var i = 0; i < Vector4.Length; i++)
            {
                mixed[i] = (lambda * fast[i]) + ((1 - lambda) * slow[i]);
            }

            return mixed;
        }
    }

    public PredictorState Export()
    {
        var mix = _combiner.State;
        var scaling = _scaling.State;
        return new PredictorState(_fast.Coefficients.ToArray(), _slow.Coefficients.ToArray(), mix.A, mix.Power, mix.FastSquaredError,
            mix.SlowSquaredError, scaling.Mean.ToArray(), scaling.Variance.ToArray(), scaling.Samples, Observations);
    }

    public void Import(PredictorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _fast.Restore(Vector4.From(state.Fast));
        _slow.Restore(Vector4.From(state.Slow));
        _combiner.Restore((state.MixA, state.MixPower, state.FastSquaredError, state.SlowSquaredError));
        _scaling.Restore((Vector4.From(state.Mean), Vector4.From(state.Variance), state.ScalingSamples));
        Observations = state.Observations;
    }

    /// <summary>Learns from one measurement; returns the a-priori error of the combined prediction.</summary>
    public double Update(in Vector4 x, double measured)
    {
        var fast = _fast.Predict(x);
        var slow = _slow.Predict(x);
        var error = measured - _combiner.Combine(fast, slow);
        _combiner.Update(measured, fast, slow);
        _scaling.Add(x);
        _fast.Update(x, measured, _scaling);
        _slow.Update(x, measured, _scaling);
        Observations++;
        return error;
    }
}
