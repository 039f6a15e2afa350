namespace Dio.Grains.Scheduling;

/// <summary>
/// Running mean and spread of each regressor (component 0 is the constant 1 and stays as is); NLMS updates in
/// the coordinates z = (x − m)/s. Centering removes the near-collinearity of the constant with the all-positive
/// features, which otherwise makes the intercept learn tens of times slower than the slopes; dividing by the
/// spread evens out features of different variance.
/// </summary>
/// <remarks>
/// The spread is floored at 1, the features' design scale, so the scaling can only shrink a direction, never
/// amplify one. Without the floor, a feature that sat near constant (the prefill backlog of an idle worker) and
/// then exploded under overload was divided by a lagging, tiny spread, turning one update into a 10⁴⁰× error on
/// the next sample (measured: Azure code trace, round-robin at 2× load). With it, an update is never larger than
/// plain NLMS on centered features, which keeps its weight error non-increasing whatever the inputs.
/// </remarks>
internal struct RegressorScaling
{
    private const double LongRunWeight = 0.01;   // ≈ the slow filter's memory
    private const double MinimumSpread = 1.0;

    private Vector4 _mean;
    private Vector4 _variance;
    private long _samples;

    public readonly (Vector4 Mean, Vector4 Variance, long Samples) State => (_mean, _variance, _samples);

    public void Restore((Vector4 Mean, Vector4 Variance, long Samples) state) => (_mean, _variance, _samples) = state;

    /// <summary>Mean of each feature (0 for the constant).</summary>
    public readonly Vector4 Mean => _mean;

    /// <summary>Spread of each feature, at least 1 (and exactly 1 for the constant).</summary>
    public readonly double Spread(int i) => i == 0 ? 1 : Math.Max(MinimumSpread, Math.Sqrt(_variance[i]));

    public void Add(in Vector4 x)
    {
        _samples++;
        var weight = Math.Max(LongRunWeight, 1.0 / _samples);   // a plain average first, then an EMA
        for (var i = 1; i < Vector4.Length; i++)
        {
            var delta = x[i] - _mean[i];
            _mean[i] += weight * delta;
            _variance[i] = (1 - weight) * (_variance[i] + (weight * delta * delta));
        }
    }
}
