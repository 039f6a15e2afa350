using Dio.Silo.Storage.Redis;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dio.Silo.Tests;

/// <summary>The RESP client against a real redis-server.</summary>
public sealed class RespClientTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task SetGet_RoundTripsAnyText()
    {
        await using var client = Client();
        const string value = "ünïcödé, spaces and\r\nline breaks\r\n*3\r\n$4";

        await client.ExecuteAsync(["SET", "dio:test:text", value]);
        var reply = await client.ExecuteAsync(["GET", "dio:test:text"]);

        Assert.Equal(value, reply.Text);
        Assert.True((await client.ExecuteAsync(["GET", "dio:test:missing"])).IsNil);
    }

    [Fact]
    public async Task Pipeline_ThousandCommands_RepliesInOrder()
    {
        await using var client = Client();
        var commands = Enumerable.Range(0, 1000).Select(i => new[] { "SET", $"dio:test:p{i}", $"v{i}" })
            .Concat(Enumerable.Range(0, 1000).Select(i => new[] { "GET", $"dio:test:p{i}" })).ToList();

        var replies = await client.PipelineAsync(commands);

        Assert.Equal(2000, replies.Count);
        Assert.All(replies.Take(1000), r => Assert.Equal("OK", r.Text));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"v{i}"), replies.Skip(1000).Select(r => r.Text));
    }

    [Fact]
    public async Task Hashes_SetGetAllDelete()
    {
        await using var client = Client();
        await client.ExecuteAsync(["DEL", "dio:test:hash"]);

        await client.ExecuteAsync(["HSET", "dio:test:hash", "a", "1", "b", "2"]);
        await client.ExecuteAsync(["HDEL", "dio:test:hash", "a"]);
        var all = await client.ExecuteAsync(["HGETALL", "dio:test:hash"]);

        Assert.Equal(["b", "2"], all.Items!.Select(i => i.Text));
    }

    [Fact]
    public async Task ErrorReply_IsARedisException()
    {
        await using var client = Client();

        var error = await Assert.ThrowsAsync<RedisException>(() => client.ExecuteAsync(["NOSUCHCOMMAND"]));

        Assert.Contains("unknown command", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("PONG", (await client.ExecuteAsync(["PING"])).Text);   // the connection is still good
    }

    [Fact]
    public async Task WrongPassword_FailsAtOnce()
    {
        await using var client = new RespClient(RedisEndpoint.Parse($"127.0.0.1:{redis.Port},password=wrong"), TimeProvider.System,
            NullLogger<RespClient>.Instance);

        await Assert.ThrowsAsync<RedisException>(() => client.ExecuteAsync(["PING"]));
    }

    [Fact]
    public async Task ServerRestarts_ClientReconnects()
    {
        await using var client = Client();
        Assert.Equal("PONG", (await client.ExecuteAsync(["PING"])).Text);

        await redis.RestartAsync();

        Assert.Equal("PONG", (await client.ExecuteAsync(["PING"])).Text);
    }

    [Theory]
    [InlineData("localhost:6379", "localhost", 6379, false, null)]
    [InlineData("cache.redis.cache.windows.net:6380,password=k3y=", "cache.redis.cache.windows.net", 6380, true, "k3y=")]
    [InlineData("10.0.0.5:7000,ssl=true,password=p,abortConnect=false", "10.0.0.5", 7000, true, "p")]
    public void Endpoint_ParsesConnectionStrings(string text, string host, int port, bool ssl, string? password)
    {
        var endpoint = RedisEndpoint.Parse(text);

        Assert.Equal((host, port, ssl, password), (endpoint.Host, endpoint.Port, endpoint.Ssl, endpoint.Password));
        Assert.DoesNotContain(password ?? "no-password", endpoint.ToString(), StringComparison.Ordinal);
    }

    private RespClient Client() => new(RedisEndpoint.Parse(redis.ConnectionString), TimeProvider.System, NullLogger<RespClient>.Instance);
}
