using Dio.Grains.Scheduling;

namespace Dio.Grains.Tests.Scheduling;

/// <summary>Values worked out by hand from ALGORITHMS.md §1.2 (μ_f 0.1, μ_s 0.01, μ_b 0.005, α 0.8, init 0.1/0.1/50).</summary>
public sealed class FaithfulNlmsPredictorTests
{
    [Fact]
    public void Update_FirstSample_MatchesHandComputedCoefficients()
    {
        var sut = new FaithfulNlmsPredictor();

        // ŷ = 0.1·100 + 50 = 60; e = 140; g = e/N = 1.4
        sut.Update(tokens: 100, measuredMs: 200, freeVramMb: 0);

        Assert.Equal(0.24, sut.FastSlope, 12);          // 0.1 + 0.1·1.4
        Assert.Equal(0.114, sut.SlowSlope, 12);         // 0.1 + 0.01·1.4
        Assert.Equal(50.7, sut.Bias, 12);               // 50 + 0.005·140
        Assert.Equal(0.2148, sut.EffectiveSlope, 12);   // 0.8·0.24 + 0.2·0.114
        Assert.Equal(200, sut.MeanLatencyMs, 12);       // t̄ takes the first sample as is
        Assert.Equal(200.0 / 60 / 3, sut.InterferenceFactor, 8);   // ring [3.33, 0, 0] (the ratio divides by ŷ + 1e-9)
    }

    [Fact]
    public void Estimate_AfterOneSample_AppliesInterferenceRing()
    {
        var sut = new FaithfulNlmsPredictor();
        sut.Update(100, 200, 0);

        // base = 0.2148·100 + 50.7 = 72.18; ring mean = 1.1111 > 1
        Assert.Equal(72.18 * (200.0 / 60 / 3), sut.Estimate(tokens: 100, freeVramMb: 0), 6);
    }

    [Fact]
    public void Update_LowVram_LearnsNetOfBandwidthFactor()
    {
        var sut = new FaithfulNlmsPredictor();
        sut.Update(100, 200, 0);

        // bw = 1 + (4096 − 2048)/4096 = 1.5; ŷ_upd = 72.18·1.5 = 108.27; e = −8.27; g = −0.0827
        sut.Update(tokens: 100, measuredMs: 100, freeVramMb: 2048);

        Assert.Equal(0.24 - 0.00827, sut.FastSlope, 9);
        Assert.Equal(0.114 - 0.000827, sut.SlowSlope, 9);
        Assert.Equal(50.7 - 0.04135, sut.Bias, 9);
        Assert.Equal(190, sut.MeanLatencyMs, 9);   // 0.9·200 + 0.1·100
    }

    [Fact]
    public void Update_ClampsSlopesAndBias()
    {
        var sut = new FaithfulNlmsPredictor();

        sut.Update(tokens: 10, measuredMs: 0, freeVramMb: 0);   // e = −51, g = −5.1: far below every clamp

        Assert.Equal(0.1, sut.FastSlope);
        Assert.Equal(0.1, sut.SlowSlope);
        Assert.Equal(49.745, sut.Bias, 9);   // the bias moves by 0.005·e only, still above its 0.1 clamp
    }

    [Theory]
    [InlineData(2000, 1500, double.PositiveInfinity)]   // hard block: < 2400 MB and N > 1000
    [InlineData(2000, 1000, 200 * 1.0)]                 // N = 1000 is not > 1000; memCost = 200·(2096/4096)·1.5 = 153.5 < base
    [InlineData(1024, 1000, 200 * 1.125)]               // memCost = base·(3072/4096)·1.5 = 1.125·base
    [InlineData(0, 1000, 200)]                          // unknown VRAM: no penalty
    public void Estimate_VramRules_FollowDio(double freeVramMb, double tokens, double expected)
    {
        // s_eff 0.15, b 50 → base = 0.15·1000 + 50 = 200; no interference (ring empty).
        var estimate = FaithfulNlmsPredictor.Estimate(0.15, 50, 0, tokens, freeVramMb);

        Assert.Equal(expected, estimate, 9);
    }
}
