using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Dio.Silo.Storage.Redis;

/// <summary>
/// A small RESP2 client: one connection, commands pipelined (all written, then all replies read), AUTH and SELECT
/// on connect, optional TLS (Azure's port 6380), and reconnection with exponential backoff when the connection drops.
/// One pipeline at a time; callers await their turn.
/// </summary>
/// <param name="endpoint">Where and how to connect.</param>
/// <param name="time">Clock for the reconnect backoff.</param>
/// <param name="logger">Logs retries.</param>
/// <param name="certificateValidation">TLS server-certificate check; null uses the system's (Azure's certificates pass it).
/// A private CA passes its own check here.</param>
public sealed partial class RespClient(RedisEndpoint endpoint, TimeProvider time, ILogger<RespClient> logger,
    RemoteCertificateValidationCallback? certificateValidation = null) : IAsyncDisposable
{
    private const int Attempts = 6;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _turn = new(1, 1);
    private TcpClient? _tcp;
    private Stream? _stream;

    public RedisEndpoint Endpoint => endpoint;

    /// <summary>Runs one command; a Redis error reply becomes a <see cref="RedisException"/>.</summary>
    public async Task<RespValue> ExecuteAsync(string[] command, CancellationToken cancellationToken = default)
    {
        var reply = (await PipelineAsync([command], cancellationToken))[0];
        return reply.IsError ? throw new RedisException(reply.Text!) : reply;
    }

    /// <summary>Sends every command, then reads every reply, in order. Error replies are returned, not thrown.
    /// A dropped connection is re-opened (with backoff) and the whole pipeline sent again, so commands must be
    /// idempotent (ours are: SET, HSET, HDEL, HGETALL).</summary>
    public async Task<IReadOnlyList<RespValue>> PipelineAsync(IReadOnlyList<string[]> commands, CancellationToken cancellationToken = default)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            var backoff = FirstBackoff;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var stream = _stream ?? await ConnectAsync(cancellationToken);
                    await WriteAsync(stream, commands, cancellationToken);
                    var replies = new RespValue[commands.Count];
                    for (var i = 0; i < replies.Length; i++)
                    {
                        replies[i] = await ReadAsync(stream, cancellationToken);
                    }

                    return replies;
                }
                catch (Exception e) when (e is IOException or SocketException or System.Security.Authentication.AuthenticationException
                    && !cancellationToken.IsCancellationRequested)
                {
                    Close();
                    if (attempt == Attempts || e is AuthenticationFailure or System.Security.Authentication.AuthenticationException)
                    {
                        throw new RedisException($"Redis at {endpoint} unavailable: {e.Message}", e);
                    }

                    LogRetrying(logger, endpoint.ToString(), backoff.TotalMilliseconds, e.Message);
                    await Task.Delay(backoff, time, cancellationToken);
                    backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
                }
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        Close();
        _turn.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<Stream> ConnectAsync(CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
        Stream stream = tcp.GetStream();
        if (endpoint.Ssl)
        {
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = endpoint.Host,
                RemoteCertificateValidationCallback = certificateValidation,
            }, cancellationToken);
            stream = ssl;
        }

        stream = new BufferedStream(stream, 16 * 1024);
        List<string[]> handshake = [];
        if (endpoint.Password is { } password)
        {
            handshake.Add(endpoint.User is { } user ? ["AUTH", user, password] : ["AUTH", password]);
        }

        if (endpoint.Database != 0)
        {
            handshake.Add(["SELECT", endpoint.Database.ToString(CultureInfo.InvariantCulture)]);
        }

        if (handshake.Count > 0)
        {
            await WriteAsync(stream, handshake, cancellationToken);
            foreach (var _ in handshake)
            {
                if (await ReadAsync(stream, cancellationToken) is { IsError: true } error)
                {
                    tcp.Dispose();
                    throw new AuthenticationFailure(error.Text!);
                }
            }
        }

        (_tcp, _stream) = (tcp, stream);
        return stream;
    }

    private void Close()
    {
        _stream?.Dispose();
        _tcp?.Dispose();
        (_tcp, _stream) = (null, null);
    }

    private static async Task WriteAsync(Stream stream, IReadOnlyList<string[]> commands, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var command in commands)
        {
            text.Append('*').Append(command.Length).Append("\r\n");
            foreach (var argument in command)
            {
                text.Append('$').Append(Encoding.UTF8.GetByteCount(argument)).Append("\r\n").Append(argument).Append("\r\n");
            }
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    private static async Task<RespValue> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(stream, cancellationToken);
        var kind = line[0];
        var rest = line[1..];
        switch (kind)
        {
            case '+' or '-':
                return new RespValue(kind, rest);
            case ':':
                return new RespValue(kind, Number: long.Parse(rest, CultureInfo.InvariantCulture));
            case '$':
                var length = int.Parse(rest, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return new RespValue('$');
                }

                var bytes = new byte[length + 2];
                await stream.ReadExactlyAsync(bytes, cancellationToken);
                return new RespValue('$', Encoding.UTF8.GetString(bytes, 0, length));
            case '*':
                var count = int.Parse(rest, CultureInfo.InvariantCulture);
                var items = new RespValue[Math.Max(0, count)];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = await ReadAsync(stream, cancellationToken);
                }

                return new RespValue('*', Items: count < 0 ? null : items);
            default:
                throw new IOException($"Unexpected RESP reply type '{kind}'.");
        }
    }

    private static async Task<string> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var bytes = new List<byte>(64);
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException("Redis closed the connection.");
            }

            if (one[0] == '\n' && bytes.Count > 0 && bytes[^1] == '\r')
            {
                return Encoding.UTF8.GetString(bytes.ToArray(), 0, bytes.Count - 1);
            }

            bytes.Add(one[0]);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis at {Endpoint} unreachable, retrying in {DelayMs} ms: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string endpoint, double delayMs, string reason);

    private sealed class AuthenticationFailure(string message) : IOException(message);
}
