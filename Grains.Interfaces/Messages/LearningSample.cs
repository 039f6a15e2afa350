namespace Dio.Grains;

/// <summary>
/// What a worker grain learns from one closed lease, sent by the router grain (the owner of the lease, and so of
/// the features the prediction was made with) after the frontend's completion report.
/// </summary>
/// <param name="Kind">How the request ended: a success teaches the predictors, a transport failure counts against health.</param>
/// <param name="TtftFeatures">TTFT regressors at dispatch.</param>
/// <param name="TpotFeatures">TPOT regressors at dispatch.</param>
/// <param name="PredictedWaitMs">Queue wait the router added to the prediction.</param>
/// <param name="PredictedE2eMs">Predicted end-to-end time, wait included.</param>
/// <param name="TtftMs">Measured TTFT, 0 when unknown (non-streamed answers).</param>
/// <param name="E2eMs">Measured end-to-end time.</param>
/// <param name="PromptTokens">usage.prompt_tokens, or the router's estimate when the worker did not say.</param>
/// <param name="CompletionTokens">usage.completion_tokens, 0 when unknown.</param>
/// <param name="PredictedTtftMs">TTFT the router predicted at dispatch, wait included (what the client was told).</param>
/// <param name="PredictedTpotMs">TPOT the router predicted at dispatch.</param>
/// <param name="Part">Which of the request's measurements it carries: all at completion, or TTFT at the first token
/// and the rest at completion.</param>
[GenerateSerializer, Immutable, Alias("dio.learning-sample")]
public readonly record struct LearningSample(
    [property: Id(0)] CompletionKind Kind,
    [property: Id(1)] Vector4 TtftFeatures,
    [property: Id(2)] Vector4 TpotFeatures,
    [property: Id(3)] double PredictedWaitMs,
    [property: Id(4)] double PredictedE2eMs,
    [property: Id(5)] double TtftMs,
    [property: Id(6)] double E2eMs,
    [property: Id(7)] int PromptTokens,
    [property: Id(8)] int CompletionTokens,
    [property: Id(9)] double PredictedTtftMs = 0,
    [property: Id(10)] double PredictedTpotMs = 0,
    [property: Id(11)] SamplePart Part = SamplePart.Whole);

/// <summary>
/// A streamed request teaches its TTFT at its first token, so that a worker's speed is known after its first answers
/// start, not after they end (a 40 s answer otherwise held a cold worker in slow start for 40 s, and a burst shed).
/// </summary>
[GenerateSerializer, Alias("dio.sample-part")]
public enum SamplePart
{
    /// <summary>Everything at completion (a non-streamed answer, or a stream whose first token was not reported).</summary>
    Whole = 0,

    /// <summary>The TTFT alone, at the first token; E2E and tokens are unknown yet.</summary>
    FirstToken = 1,

    /// <summary>At completion, after a <see cref="FirstToken"/> sample: everything but the TTFT channel (TtftMs still
    /// carries the TTFT, which TPOT needs).</summary>
    AfterFirstToken = 2,
}
