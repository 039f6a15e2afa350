using System.Diagnostics;
using System.Globalization;
using Dio.Testing;

namespace Dio.FrontendApi.Tests.Support;

/// <summary>The real Silo host in its own process (<c>dotnet Dio.Silo.dll</c>, built beside the tests), in a Redis cluster
/// on its own silo and gateway ports: what a deployment runs, and what SIGKILL can kill.</summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SiloProcess(Process process, Uri url, int siloPort, int gatewayPort)
    {
        _process = process;
        Url = url;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
    }

    public Uri Url { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public int Id => _process.Id;

    /// <param name="redis">The Redis connection string (membership and grain state).</param>
    /// <param name="clusterId">Orleans cluster id (membership): one per test, so that no test meets another's silos in Redis.</param>
    /// <param name="adminKey">The control API's admin key.</param>
    /// <param name="sidecarToken">The sidecars' token.</param>
    /// <param name="siloPort">Silo port; a free one when null.</param>
    /// <param name="gatewayPort">Gateway port; a free one when null.</param>
    /// <param name="serviceId">Orleans service id (the key of grain state); the cluster id when null.</param>
    public static async Task<SiloProcess> StartAsync(string redis, string clusterId, string adminKey, string sidecarToken, int? siloPort = null,
        int? gatewayPort = null, string? serviceId = null)
    {
        var http = RedisServer.FreePort();
        var silo = siloPort ?? RedisServer.FreePort();
        var gateway = gatewayPort ?? RedisServer.FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Dio.Silo.dll"), "--urls", $"http://127.0.0.1:{http}"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory,
        };
        var env = start.Environment;
        env["Cluster__Clustering"] = "redis";
        env["Cluster__Redis"] = redis;
        env["Cluster__ClusterId"] = clusterId;
        env["Cluster__ServiceId"] = serviceId ?? clusterId;
        env["Cluster__SiloPort"] = silo.ToString(CultureInfo.InvariantCulture);
        env["Cluster__GatewayPort"] = gateway.ToString(CultureInfo.InvariantCulture);
        env["Silo__AdminKey"] = adminKey;
        env["Silo__SidecarToken"] = sidecarToken;
        env["Workers__PersistInterval"] = "00:00:00.200";
        env["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        var output = new List<string>();
        process.OutputDataReceived += (_, e) => Record(output, e.Data);
        process.ErrorDataReceived += (_, e) => Record(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var url = new Uri($"http://127.0.0.1:{http}");
        using var client = new HttpClient();
        for (var i = 0; i < 1800; i++)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync();   // HasExited can come before the last output lines are read
                throw new InvalidOperationException($"the silo exited with {process.ExitCode}:\n{string.Join('\n', Snapshot(output))}");
            }

            try
            {
                using var live = await client.GetAsync(new Uri(url, "/health/live"));
                if (live.IsSuccessStatusCode)
                {
                    return new SiloProcess(process, url, silo, gateway);
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50);
        }

        process.Kill();
        throw new TimeoutException($"the silo did not start:\n{string.Join('\n', Snapshot(output))}");
    }

    /// <summary>SIGKILL: no shutdown, nothing written, the cluster finds out by itself.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    /// <summary>SIGTERM: a graceful shutdown (grains deactivate and write their state), then waits for the exit.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(deadline.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        await Task.CompletedTask;
    }

    private static void Record(List<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Add(line);
        }
    }

    private static string[] Snapshot(List<string> output)
    {
        lock (output)
        {
            return [.. output.TakeLast(40)];
        }
    }
}
