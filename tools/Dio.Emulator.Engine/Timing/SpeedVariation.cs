namespace Dio.Emulator.Engine.Timing;

/// <summary>
/// What makes a real GPU's steps differ from the roofline: per-step noise (lognormal, σ = 0.03 by default),
/// an optional thermal drift in DIO's mock-worker semantics (from request <see cref="DriftStartRequest"/> on,
/// +<see cref="DriftPerRequest"/> per request, capped at <see cref="DriftCap"/>), and a slow-down factor that fault
/// injection can set. Seeded, so a run replays exactly.
/// </summary>
public sealed class SpeedVariation(int seed, double noiseSigma = 0.03)
{
    private readonly Random _random = new(seed);

    public int DriftStartRequest { get; init; } = int.MaxValue;

    public double DriftPerRequest { get; init; } = 0.02;

    public double DriftCap { get; init; } = 1.4;

    /// <summary>Multiplies every step for good: the profile's sensitivity scale (1 = as calibrated).</summary>
    public double Scale { get; init; } = 1;

    /// <summary>Multiplies every step (fault injection "slow by a factor"); 1 = normal.</summary>
    public double SlowFactor { get; set; } = 1;

    public double NoiseSigma => noiseSigma;

    /// <summary>Factor for a step taken after <paramref name="requestsAdmitted"/> requests were admitted.</summary>
    public double Next(long requestsAdmitted)
    {
        var drift = requestsAdmitted < DriftStartRequest
            ? 1
            : Math.Min(DriftCap, 1 + ((requestsAdmitted - DriftStartRequest) * DriftPerRequest));
        return Scale * SlowFactor * drift * (noiseSigma > 0 ? Math.Exp(noiseSigma * StandardNormal()) : 1);
    }

    private double StandardNormal()
    {
        // Box–Muller; 1 − U keeps the logarithm finite.
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
