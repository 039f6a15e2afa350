using System.Text.Encodings.Web;
using System.Text.Json;

namespace Dio.Emulator.Api;

/// <summary>JSON as vLLM's Python server writes it: camel-case web defaults, apostrophes and non-ASCII left as they are.</summary>
internal static class EmulatorJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerOptions.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
