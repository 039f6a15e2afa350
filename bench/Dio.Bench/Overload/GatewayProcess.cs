using System.Diagnostics;

namespace Dio.Bench.Overload;

/// <summary>The gateway as a user starts it, in its own process: <c>Dio.FrontendApi --demo</c>, ready once it prints its banner.</summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;

    private GatewayProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<GatewayProcess> StartAsync(string fleet, double timeScale, string adminKey)
    {
        var port = Dio.Emulator.Hosting.EmulatorHost.FreePorts(1)[0];
        var url = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "Dio.FrontendApi.dll"), "--demo", "--fleet", fleet, "--time-scale",
            timeScale.ToString(System.Globalization.CultureInfo.InvariantCulture), "--urls", url.ToString(), $"--Silo:AdminKey={adminKey}"])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(start)!;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Try it", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) => Console.Error.WriteLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromMinutes(2));
        return new GatewayProcess(process, url);
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
