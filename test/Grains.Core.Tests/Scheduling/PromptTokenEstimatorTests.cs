using Dio.Grains.Scheduling;

namespace Dio.Grains.Tests.Scheduling;

public sealed class PromptTokenEstimatorTests
{
    [Fact]
    public void Estimate_Default_IsBytesOverFour()
    {
        var sut = new PromptTokenEstimator();

        Assert.Equal(250, sut.Estimate(1000));
        Assert.Equal(1, sut.Estimate(0));
    }

    [Fact]
    public void Observe_ConsistentRatio_ConvergesToIt()
    {
        var sut = new PromptTokenEstimator();

        for (var i = 0; i < 100; i++)
        {
            sut.Observe(promptBytes: 3000, promptTokens: 1000);   // a tokenizer at 3 bytes per token
        }

        Assert.InRange(sut.Estimate(3000), 999, 1001);
    }

    [Fact]
    public void Observe_OneSample_MovesTenPercentOfTheWay()
    {
        var sut = new PromptTokenEstimator();

        sut.Observe(2000, 1000);   // ratio 0.5 vs 0.25

        Assert.Equal(0.275, sut.TokensPerByte, 12);
    }

    [Fact]
    public void Observe_ShortPrompts_DoNotTeach_TheTemplateWouldDominate()
    {
        var sut = new PromptTokenEstimator();

        for (var i = 0; i < 100; i++)
        {
            sut.Observe(promptBytes: 8, promptTokens: 8);   // "hi" plus a chat template
        }

        Assert.Equal(PromptTokenEstimator.InitialTokensPerByte, sut.TokensPerByte);
    }
}
