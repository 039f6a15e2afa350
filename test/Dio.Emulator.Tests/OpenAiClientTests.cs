using System.ClientModel;
using OpenAI;
using OpenAI.Chat;

namespace Dio.Emulator.Tests;

/// <summary>The official OpenAI .NET client against the emulator, as a user's application would call vLLM.</summary>
public sealed class OpenAiClientTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Chat_NonStreaming_ReturnsContentUsageAndFinishReason()
    {
        var chat = Client(0);

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Write a haiku about GPUs.")],
            new ChatCompletionOptions { MaxOutputTokenCount = 5 });

        Assert.Equal(" lorem ipsum dolor sit amet", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(5, completion.Usage.OutputTokenCount);
        Assert.Equal(7 + 4 + 3, completion.Usage.InputTokenCount);   // ⌈26 bytes/4⌉ + 4 per message + 3
    }

    [Fact]
    public async Task Chat_Streaming_SameTextTokenByToken_WithUsage()
    {
        var chat = Client(1);
        var parts = new List<string>();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Write a haiku about GPUs.")],
            new ChatCompletionOptions { MaxOutputTokenCount = 8 }))
        {
            parts.AddRange(update.ContentUpdate.Select(c => c.Text));
            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.Equal(8, parts.Count(p => p.Length > 0));
        Assert.Equal(" lorem ipsum dolor sit amet consectetur adipiscing elit", string.Concat(parts));
        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.NotNull(usage);
        Assert.Equal(8, usage.OutputTokenCount);
    }

    [Fact]
    public async Task Chat_ContextOverflow_Is400()
    {
        var chat = Client(0);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync(
            [new UserChatMessage("hello")], new ChatCompletionOptions { MaxOutputTokenCount = 9000 }));

        // vLLM's error JSON is flat, not OpenAI's {"error": {...}}, so the client keeps it in the raw response.
        Assert.Equal(400, error.Status);
        Assert.Contains("maximum context length is 8192 tokens", error.GetRawResponse()!.Content.ToString(), StringComparison.Ordinal);
    }

    private ChatClient Client(int server) =>
        new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(emulator.Urls[server], "/v1") })
            .GetChatClient(EmulatorFixture.Model);
}
