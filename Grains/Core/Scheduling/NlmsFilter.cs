namespace Dio.Grains.Scheduling;

/// <summary>
/// Normalized LMS (ALGORITHMS.md §2.2): θ ← θ + μ·e·z/(δ + zᵀz), run on the centered and scaled regressor
/// z = [1, (x − m)/s] of <see cref="RegressorScaling"/>. The coefficients are kept in the original feature units (β, with ŷ = βᵀx),
/// so a prediction is one dot product and two filters can be mixed coefficient by coefficient.
/// </summary>
/// <remarks>
/// Slopes are clamped at their floor (non-negative: more prompt or more load never makes a worker faster). In
/// z-coordinates that clamp is a Euclidean projection onto a convex set, so it keeps NLMS's non-expansive weight
/// error. The intercept β₀ is left free and the caller floors the prediction instead: a floor on β₀ is not a
/// projection in centered coordinates (θ₀ is the prediction at the mean), and we measured it pinning the intercept
/// while the backlog slope ratcheted up without bound on overloaded workers (Azure code trace, round-robin at 2×).
/// </remarks>
internal sealed class NlmsFilter
{
    /// <summary>Regularizer of the normalization; z always holds the constant 1, so it only guards a degenerate z.</summary>
    public const double Delta = 1e-3;

    private Vector4 _beta;
    private readonly Vector4 _floor;

    /// <param name="initial">Prior coefficients, in feature units.</param>
    /// <param name="floor">Lower clamps of the slopes (component 0, the intercept, is not clamped).</param>
    /// <param name="stepSize">μ of the filter, 0 &lt; μ &lt; 2 for stability.</param>
    public NlmsFilter(in Vector4 initial, in Vector4 floor, double stepSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(stepSize, 2.0);
        _beta = initial;
        _floor = floor;
        StepSize = stepSize;
    }

    public double StepSize { get; }

    /// <summary>β in feature units: ŷ = βᵀx.</summary>
    public Vector4 Coefficients => _beta;

    public double Predict(in Vector4 x) => _beta.Dot(x);

    /// <summary>Restores learned coefficients (a silo restart).</summary>
    public void Restore(in Vector4 coefficients) => _beta = coefficients;

    /// <summary>Learns from one observation; returns the a-priori error y − βᵀx.</summary>
    public double Update(in Vector4 x, double y, in RegressorScaling scaling)
    {
        var error = y - _beta.Dot(x);

        // In z-coordinates θ_i = β_i·s_i and θ_0 = β_0 + Σ β_i·m_i; the NLMS step on θ maps back to β as below.
        var mean = scaling.Mean;
        var z = default(Vector4);
        z[0] = 1;
        var norm = 1.0;
        for (var i = 1; i < Vector4.Length; i++)
        {
            z[i] = (x[i] - mean[i]) / scaling.Spread(i);
            norm += z[i] * z[i];
        }

        var gain = StepSize * error / (Delta + norm);
        var interceptShift = gain;   // Δθ_0
        for (var i = 1; i < Vector4.Length; i++)
        {
            var updated = Math.Max(_floor[i], _beta[i] + (gain * z[i] / scaling.Spread(i)));   // Δβ_i = Δθ_i / s_i
            interceptShift -= (updated - _beta[i]) * mean[i];   // Δβ_0 = Δθ_0 − Σ Δβ_i·m_i
            _beta[i] = updated;
        }

        _beta[0] += interceptShift;
        return error;
    }
}
