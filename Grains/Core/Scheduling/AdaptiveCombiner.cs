namespace Dio.Grains.Scheduling;

/// <summary>
/// Adaptive convex combination of a fast and a slow filter (Arenas-García, Figueiras-Vidal, Sayed, IEEE TSP 2006;
/// ALGORITHMS.md §2.3): ŷ = λ·ŷ_f + (1−λ)·ŷ_s with λ = sigmoid(a), a following a normalized stochastic gradient.
/// λ rises toward the fast filter after a step or drift and sinks toward the slow one under stationary noise.
/// Starts at DIO's fixed α = 0.8.
/// </summary>
/// <remarks>
/// The gradient moves a at a rate proportional to λ(1−λ), about 0.02 at the clip, so once stationary noise has
/// pushed λ to the slow end it needs some 40 observations to come back after a step change (measured in
/// LatencyModelConvergenceTests). We add a switch: when the fast filter's recent squared error is under a quarter
/// of the slow filter's, which stationary noise never produces (their ratio there is about 1.2), a jumps to the
/// fast end. The gradient still decides everywhere else.
/// </remarks>
internal sealed class AdaptiveCombiner
{
    public const double InitialLambda = 0.8;
    private const double MixStep = 1.0;       // μ_a
    private const double PowerDecay = 0.9;    // β, also the memory of the recent-error averages
    private const double Epsilon = 1e-6;
    private const double Limit = 4.0;         // |a| ≤ 4 keeps λ in [0.018, 0.982], so neither filter is ever discarded
    private const double SwitchRatio = 0.25;

    private readonly bool _adaptive;
    private double _a = Math.Log(InitialLambda / (1 - InitialLambda));   // ln 4
    private double _power = 1.0;                                         // r0
    private double _fastSquaredError;
    private double _slowSquaredError;

    /// <param name="adaptive">False keeps λ at DIO's fixed 0.8 (the faithful blend).</param>
    public AdaptiveCombiner(bool adaptive) => _adaptive = adaptive;

    public double Lambda => 1.0 / (1.0 + Math.Exp(-_a));

    public (double A, double Power, double FastSquaredError, double SlowSquaredError) State =>
        (_a, _power, _fastSquaredError, _slowSquaredError);

    public void Restore((double A, double Power, double FastSquaredError, double SlowSquaredError) state) =>
        (_a, _power, _fastSquaredError, _slowSquaredError) = state;

    public double Combine(double fast, double slow)
    {
        var lambda = Lambda;
        return (lambda * fast) + ((1 - lambda) * slow);
    }

    /// <summary>Adapts λ from the two filters' a-priori predictions of <paramref name="measured"/>.</summary>
    public void Update(double measured, double fast, double slow)
    {
        if (!_adaptive)
        {
            return;
        }

        var combinedError = measured - Combine(fast, slow);
        var difference = fast - slow;
        _power = (PowerDecay * _power) + ((1 - PowerDecay) * difference * difference);
        var lambda = Lambda;
        _a = Math.Clamp(_a + (MixStep / (_power + Epsilon) * combinedError * difference * lambda * (1 - lambda)), -Limit, Limit);

        _fastSquaredError = (PowerDecay * _fastSquaredError) + ((1 - PowerDecay) * (measured - fast) * (measured - fast));
        _slowSquaredError = (PowerDecay * _slowSquaredError) + ((1 - PowerDecay) * (measured - slow) * (measured - slow));
        if (_fastSquaredError < SwitchRatio * _slowSquaredError)
        {
            _a = Limit;
        }
    }
}
