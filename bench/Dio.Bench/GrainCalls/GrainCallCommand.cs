using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Dio.Grains;
using Dio.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dio.Bench.GrainCalls;

/// <summary>
/// <c>grain-calls</c>: what the one blocking call of a request costs, <c>IRouterGrain.RouteAsync</c> on a warm pool,
/// measured co-hosted (the caller is in the silo's process, as an embedded frontend is) and from a separate client
/// process over the gateway on loopback (as a frontend in cluster mode is), each with 1 and 64 concurrent callers.
/// Every route is followed by its one-way completion, so the pool stays in steady state. Both in one run.
/// </summary>
internal static class GrainCallCommand
{
    private const string Model = "llama-3-8b";
    private static readonly RouteRequest Request = new(Model, 1000, 0, 64, TtftSloMs: 60_000);

    public static Command Create()
    {
        var workers = new Option<int>("--workers") { Description = "Workers in the pool", DefaultValueFactory = _ => 32 };
        var seconds = new Option<double>("--seconds") { Description = "Seconds per measurement", DefaultValueFactory = _ => 3 };
        var command = new Command("grain-calls", "The route grain call, co-hosted and from a client process, 1 and 64 callers") { workers, seconds };
        command.SetAction(parse => RunAsync(parse.GetValue(workers), parse.GetValue(seconds)));
        return command;
    }

    private static async Task<int> RunAsync(int workers, double seconds)
    {
        var rows = new List<string[]>();
        using (var cohosted = await StartSiloInProcessAsync())
        {
            var grains = cohosted.Services.GetRequiredService<IGrainFactory>();
            await RegisterAsync(grains, workers);
            rows.AddRange(await MeasureAsync("co-hosted", grains, seconds));
            await cohosted.StopAsync();
        }

        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        using var silo = StartSiloProcess(siloPort, gatewayPort);
        try
        {
            using var client = await ConnectClientAsync(gatewayPort);
            var grains = client.Services.GetRequiredService<IGrainFactory>();
            await RegisterAsync(grains, workers);
            rows.AddRange(await MeasureAsync("client process, loopback", grains, seconds));
            await client.StopAsync();
        }
        finally
        {
            silo.Kill();
        }

        Console.WriteLine($"IRouterGrain.RouteAsync on a warm pool of {workers} workers (policy dio), {seconds} s per row");
        Console.WriteLine(Reports.Markdown.Table(["caller", ">callers", ">p50", ">p99", ">calls/s"], rows));
        return 0;
    }

    private static async Task<List<string[]>> MeasureAsync(string caller, IGrainFactory grains, double seconds)
    {
        var router = grains.GetGrain<IRouterGrain>(Model);
        await LoopAsync(router, 8, 1);   // warm-up: JIT, connections, the activation
        var rows = new List<string[]>();
        foreach (var callers in new[] { 1, 64 })
        {
            var (latencies, elapsed) = await LoopAsync(router, callers, seconds);
            latencies.Sort();
            rows.Add([caller, $"{callers}", Us(latencies[latencies.Count / 2]), Us(latencies[(int)(latencies.Count * 0.99)]),
                Reports.Markdown.Number(latencies.Count / elapsed, "#,0")]);
        }

        return rows;
    }

    /// <summary>Closed loop: each caller routes, then completes one-way, until the time is up.</summary>
    private static async Task<(List<double> Microseconds, double Seconds)> LoopAsync(IRouterGrain router, int callers, double seconds)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var wall = Stopwatch.StartNew();
        var perCaller = await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            var samples = new List<double>(100_000);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var start = Stopwatch.GetTimestamp();
                var outcome = await router.RouteAsync(Request);
                samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                if (outcome.Verdict == RouteVerdict.Routed)
                {
                    await router.CompleteAsync(new CompletionReport(outcome.WorkerId!, outcome.LeaseId, CompletionKind.Cancelled, 0, 0, 0, 0));
                }
            }

            return samples;
        })));
        return ([.. perCaller.SelectMany(s => s)], wall.Elapsed.TotalSeconds);
    }

    private static async Task RegisterAsync(IGrainFactory grains, int workers)
    {
        for (var i = 0; i < workers; i++)
        {
            var id = $"w{i}";
            await grains.GetGrain<IWorkerGrain>(id).RegisterAsync(new WorkerRegistration(id, $"http://127.0.0.1:9/{id}", Model, "A100-80GB",
                8192, 20_000, 16, 256, "small"), RegistrationSource.Operator);
        }
    }

    /// <summary>The workers are fictitious: nothing answers their polls, which must not judge them during the run.</summary>
    private static readonly Dictionary<string, string?> QuietWorkers = new()
    {
        ["Workers:PollInterval"] = "00:01:00", ["Workers:FailedPollsToUnhealthy"] = "100", ["Logging:LogLevel:Default"] = "Warning",
    };

    private static async Task<IHost> StartSiloInProcessAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(QuietWorkers);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePort(), FreePort());
            silo.AddMemoryGrainStorage(StorageNames.Dio);
            silo.AddDioGrains();
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static Process StartSiloProcess(int siloPort, int gatewayPort)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Dio.Silo.dll"), "--urls", $"http://127.0.0.1:{FreePort()}"])
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["Cluster__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Cluster__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in QuietWorkers)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<IHost> ConnectClientAsync(int gatewayPort)
    {
        for (var attempt = 0; ; attempt++)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort, serviceId: "dio", clusterId: "dio"));
            var host = builder.Build();
            try
            {
                await host.StartAsync();
                return host;
            }
            catch (Exception) when (attempt < 60)
            {
                host.Dispose();
                await Task.Delay(500);   // the silo process is still starting
            }
        }
    }

    private static int FreePort() => Emulator.Hosting.EmulatorHost.FreePorts(1)[0];

    private static string Us(double microseconds) =>
        Reports.Markdown.Number(microseconds, microseconds < 100 ? "0.0" : "#,0") + " µs";
}
