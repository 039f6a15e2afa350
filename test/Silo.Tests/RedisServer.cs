using System.Diagnostics;
using System.Net.Sockets;

namespace Dio.Testing;

/// <summary>A real redis-server on a free loopback port with a password, no persistence; CI installs it with apt.</summary>
public sealed class RedisServer : IAsyncLifetime
{
    public const string Password = "s3cret pass";
    private Process? _process;

    public int Port { get; private set; }

    public string ConnectionString => $"127.0.0.1:{Port},password={Password}";

    public async Task InitializeAsync()
    {
        Port = FreePort();
        await StartAsync();
    }

    /// <summary>A port nothing listens on now.</summary>
    public static int FreePort() => Dio.Ports.FreePorts.Take(1)[0];

    /// <summary>Freezes the server (SIGSTOP): connections stay open and every command hangs, as when Redis is unreachable.</summary>
    public Task PauseAsync() => SignalAsync("-STOP");

    /// <summary>Thaws a paused server (SIGCONT) with its data intact.</summary>
    public Task ResumeAsync() => SignalAsync("-CONT");

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [signal, _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    /// <summary>Kills the server and starts a fresh one on the same port (empty: no persistence).</summary>
    public async Task RestartAsync()
    {
        Stop();
        await StartAsync();
    }

    public Task DisposeAsync()
    {
        Stop();
        return Task.CompletedTask;
    }

    private async Task StartAsync()
    {
        var start = new ProcessStartInfo("redis-server",
            ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--requirepass", Password])
        { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server); .ci/run installs it.", e);
        }

        await WaitForPortAsync(Port);
    }

    /// <summary>Waits until something listens on a loopback port (a server just started), failing after 5 s.</summary>
    public static async Task WaitForPortAsync(int port)
    {
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(25);
            }
        }

        throw new TimeoutException($"nothing listens on port {port}");
    }

    private void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }
}
