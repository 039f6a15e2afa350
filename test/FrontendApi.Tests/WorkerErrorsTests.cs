using System.Text;
using System.Text.Json;
using Dio.FrontendApi.Errors;

namespace Dio.FrontendApi.Tests;

/// <summary>A worker's own 4xx reaches the client in OpenAI's shape, whichever shape the worker used.</summary>
public sealed class WorkerErrorsTests
{
    [Theory]
    [InlineData("""{"object":"error","message":"bad temperature","type":"BadRequestError","param":"temperature","code":400}""", 400, "bad temperature", "BadRequestError", "temperature")]
    [InlineData("""{"error":"Unauthorized"}""", 401, "Unauthorized", "authentication_error", null)]
    [InlineData("<html>nginx says no</html>", 413, "<html>nginx says no</html>", "invalid_request_error", null)]
    [InlineData("", 429, "The worker refused the request (HTTP 429).", "rate_limit_error", null)]
    public void OtherShapes_AreRebuilt(string body, int status, string message, string type, string? param)
    {
        var error = JsonDocument.Parse(WorkerErrors.ToOpenAiShape(Encoding.UTF8.GetBytes(body), status)).RootElement.GetProperty("error");

        Assert.Equal(message, error.GetProperty("message").GetString());
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.GetProperty("code").GetString());
    }

    [Fact]
    public void OpenAiShape_PassesUntouched()
    {
        var body = """{"error":{"message":"m","type":"BadRequestError","param":null,"code":400}}"""u8.ToArray();

        Assert.Equal(body, WorkerErrors.ToOpenAiShape(body, 400));
    }
}
