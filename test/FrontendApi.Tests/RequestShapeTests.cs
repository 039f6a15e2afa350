using System.Text.Json.Nodes;
using Dio.FrontendApi.Inference;

namespace Dio.FrontendApi.Tests;

/// <summary>What the gateway tells the router a request will hold in vLLM: each prompt of a batch, every sequence
/// of n and best_of, exact token ids, the chat template.</summary>
public sealed class RequestShapeTests
{
    [Theory]
    [InlineData("""{"model":"m","prompt":"hello"}""", 1, 1, 0)]
    [InlineData("""{"model":"m","prompt":"hello","n":3}""", 1, 3, 0)]
    [InlineData("""{"model":"m","prompt":"hello","n":2,"best_of":5}""", 1, 5, 0)]
    [InlineData("""{"model":"m","prompt":["a","b","c"],"n":2}""", 3, 6, 0)]
    [InlineData("""{"model":"m","prompt":[1,2,3,4]}""", 1, 1, 4)]
    [InlineData("""{"model":"m","prompt":[[1,2],[3,4,5]],"n":2}""", 2, 4, 5)]
    public void Completions(string json, int prompts, int sequences, int promptTokens)
    {
        var request = Parse(json, chat: false);

        Assert.Equal(prompts, request.Prompts);
        Assert.Equal(sequences, request.Sequences);
        Assert.Equal(promptTokens, request.PromptTokens);
        Assert.Equal(0, request.TemplateTokens);
    }

    [Fact]
    public void BatchOfStrings_CountsEveryPromptsBytes_AndMatchesTheFirstPromptsPrefix()
    {
        var first = new string('a', 64);
        var batch = Parse($$"""{"model":"m","prompt":["{{first}}","{{new string('b', 32)}}"]}""", chat: false);
        var alone = Parse($$"""{"model":"m","prompt":"{{first}}"}""", chat: false);

        Assert.Equal(96, batch.PromptBytes);
        Assert.Equal(alone.PrefixBlocks, batch.PrefixBlocks);
    }

    [Fact]
    public void Chat_AddsTheTemplatePerMessageAndPerRequest()
    {
        var request = Parse("""{"model":"m","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hi"}],"n":2}""", chat: true);

        Assert.Equal(InferenceRequest.TemplateTokensPerRequest + (2 * InferenceRequest.TemplateTokensPerMessage), request.TemplateTokens);
        Assert.Equal(2, request.Sequences);
        Assert.Equal("be brief\nhi\n".Length, request.PromptBytes);   // the text alone: the template is counted in tokens
    }

    private static InferenceRequest Parse(string json, bool chat) =>
        InferenceRequest.TryCreate(JsonNode.Parse(json), chat, out var error, out _) ?? throw new InvalidOperationException(error);
}
