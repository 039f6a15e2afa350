using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Dio.FrontendApi.Tests;

/// <summary>
/// The bad-input catalogue's transport half: requests broken below JSON (header injection, request smuggling,
/// impossible framing, oversized headers) sent as raw bytes, since HttpClient refuses to send them. Kestrel
/// answers these before any endpoint runs, so the shape is HTTP's own; what matters is a 4xx and a gateway
/// that keeps serving.
/// </summary>
public sealed class TransportBadInputTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    public static TheoryData<string, string> Requests => new()
    {
        { "bare CR in a header value", $"POST /v1/chat/completions HTTP/1.1\r\nHost: a\r\nX-Request-Id: a\rb\r\nContent-Type: application/json\r\nContent-Length: {Body.Length}\r\n\r\n{Body}" },
        { "NUL in a header value", $"POST /v1/chat/completions HTTP/1.1\r\nHost: a\r\nX-Dio-Tier: batch\0x\r\nContent-Type: application/json\r\nContent-Length: {Body.Length}\r\n\r\n{Body}" },
        { "header name with a space", $"POST /v1/chat/completions HTTP/1.1\r\nHost: a\r\nX Dio: 1\r\nContent-Type: application/json\r\nContent-Length: {Body.Length}\r\n\r\n{Body}" },
        { "Content-Length and chunked together (smuggling)", $"POST /v1/chat/completions HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" },
        { "two different Content-Lengths", $"POST /v1/chat/completions HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!" },
        { "negative Content-Length", $"POST /v1/chat/completions HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n" },
        { "malformed chunk size", $"POST /v1/chat/completions HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{Body}\r\n0\r\n\r\n" },
        { "64 KB header", $"POST /v1/chat/completions HTTP/1.1\r\nHost: a\r\nX-Pad: {new string('a', 64 * 1024)}\r\nContent-Type: application/json\r\nContent-Length: {Body.Length}\r\n\r\n{Body}" },
        { "missing Host on HTTP/1.1", $"POST /v1/chat/completions HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: {Body.Length}\r\n\r\n{Body}" },
        { "garbage request line", "HELLO THERE\r\n\r\n" },
        { "GET on the chat endpoint", "GET /v1/chat/completions HTTP/1.1\r\nHost: a\r\n\r\n" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task BrokenRequest_Is4xx_AndTheGatewayKeepsServing(string name, string request)
    {
        var status = await SendRawAsync(gateway.Url, Encoding.Latin1.GetBytes(request));

        Assert.True(status is >= 400 and < 500, $"{name}: got {status}");
        using var live = await gateway.Http.GetAsync(new Uri(gateway.Url, "/health/live"));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    /// <summary>Sends the bytes and returns the status code of the answer's status line.</summary>
    internal static async Task<int> SendRawAsync(Uri url, byte[] request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(url.Host, url.Port);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(request);
        }
        catch (IOException)
        {
            // The server may refuse (and close) before the whole request is written; its answer is still there.
        }

        using var reader = new StreamReader(stream, Encoding.Latin1);
        var statusLine = await reader.ReadLineAsync() ?? string.Empty;
        var parts = statusLine.Split(' ');
        return parts.Length > 1 && int.TryParse(parts[1], out var status) ? status : 0;
    }
}
