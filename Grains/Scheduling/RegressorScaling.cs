namespace Dio.Grains.Scheduling;

/// <summary>
/// Running mean and spread of each regressor (component 0 is the constant 1 and stays as is). NLMS on raw, all
/// positive features is badly conditioned: the constant is nearly collinear with them, so the intercept learns
/// tens of times slower than the slopes. Centering and scaling each feature (z = (x − m)/s) makes the directions
/// comparable whatever the workload's mix of prompt lengths and loads.
/// </summary>
internal struct RegressorScaling
{
    private const double LongRunWeight = 0.01;   // ≈ the slow filter's memory
    private const double MinimumSpread = 1e-3;   // a feature that never varies must not divide by zero

    private Vector4 _mean;
    private Vector4 _variance;
    private long _samples;

    /// <summary>Mean of each feature (0 for the constant).</summary>
    public readonly Vector4 Mean => _mean;

    /// <summary>Spread of each feature (1 for the constant, and 1 before any sample: features are scaled to O(1)).</summary>
    public readonly double Spread(int i) =>
        i == 0 || _samples < 2 ? 1 : Math.Max(MinimumSpread, Math.Sqrt(_variance[i]));

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
