using System.Text;

namespace Dio.Emulator.Serving;

/// <summary>
/// The emulator's tokenizer: ⌈UTF-8 bytes / 4⌉ per text (BPE's usual ratio), plus a chat template of 4 tokens per
/// message and 3 for the assistant prefix. /tokenize and usage.prompt_tokens agree, as they do on a real vLLM.
/// </summary>
public static class EmulatedTokenizer
{
    private static readonly string[] Words =
        ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do", "eiusmod", "tempor"];

    public static int Count(string text) => Math.Max(1, (Encoding.UTF8.GetByteCount(text) + 3) / 4);

    public static int CountChat(IReadOnlyList<string> messageContents) => messageContents.Sum(Count) + (4 * messageContents.Count) + 3;

    /// <summary>The text of the <paramref name="index"/>-th generated token (deterministic).</summary>
    public static string TokenText(int index) => " " + Words[index % Words.Length];
}
