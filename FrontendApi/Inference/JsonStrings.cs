using System.Text.Json;

namespace Dio.FrontendApi.Inference;

/// <summary>
/// JSON lets a string escape a lone UTF-16 surrogate (<c>"\ud800"</c>); it is valid JSON but not text. .NET refuses
/// to read it as a string and Python's tokenizers fail on it, so the gateway refuses it up front, wherever it is.
/// </summary>
internal static class JsonStrings
{
    /// <summary>The first escaped string that is not valid UTF-16, described; null when every string is.</summary>
    public static string? FindInvalidUtf16(ReadOnlySpan<byte> json)
    {
        if (json.IndexOf("\\u"u8) < 0)
        {
            return null;   // no \u escape at all, so no surrogate escape: the common body needs no second pass
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped)
            {
                continue;
            }

            try
            {
                _ = reader.GetString();   // unescapes; only escaped strings can hold a lone surrogate
            }
            catch (InvalidOperationException e)
            {
                return $"at byte {reader.TokenStartIndex}: {e.Message}";
            }
        }

        return null;
    }
}
