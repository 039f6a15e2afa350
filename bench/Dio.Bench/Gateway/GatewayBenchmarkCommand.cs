using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Dio.Emulator.Hosting;
using Dio.FrontendApi.Hosting;

namespace Dio.Bench.Gateway;

/// <summary>
/// <c>gateway</c>: what the gateway adds. The same closed-loop client, in one run, against one emulated vLLM directly,
/// through DIO (its routing over the whole emulated fleet) and through nginx round-robin over the same fleet. The
/// emulators run 1000× faster than real time, so nearly all the latency measured is HTTP and proxying.
/// </summary>
internal static class GatewayBenchmarkCommand
{
    private const string DefaultFleet = "4xA100-80GB";
    private const int DefaultConcurrency = 16;
    private const int DefaultRequests = 300;
    private const int DefaultRounds = 2;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var fleet = new Option<string>("--fleet") { Description = "Emulated fleet", DefaultValueFactory = _ => DefaultFleet };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent clients", DefaultValueFactory = _ => DefaultConcurrency };
        var requests = new Option<int>("--requests") { Description = "Requests per client per target", DefaultValueFactory = _ => DefaultRequests };
        var rounds = new Option<int>("--rounds") { Description = "Rounds over the three targets (the last is reported)", DefaultValueFactory = _ => DefaultRounds };
        var json = new Option<string?>("--json") { Description = "Write the results as JSON" };
        var command = new Command("gateway", "Added latency and throughput: direct vs through DIO vs through nginx") { fleet, concurrency, requests, rounds, json };
        command.SetAction(parse => RunAsync(parse.GetValue(fleet)!, parse.GetValue(concurrency), parse.GetValue(requests), parse.GetValue(rounds),
            parse.GetValue(json)));
        return command;
    }

    private static async Task<int> RunAsync(string fleetSpec, int concurrency, int requests, int rounds, string? jsonPath)
    {
        var results = await MeasureAsync(fleetSpec, concurrency, requests, rounds);
        Console.WriteLine($"{fleetSpec}, {concurrency} clients × {requests} requests, completions of 1 token");
        Console.WriteLine(Render(results));
        if (jsonPath is not null)
        {
            await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(results, Indented));
        }

        return results.Any(r => r.Failures > 0) ? 1 : 0;
    }

    /// <summary>The report's section: the command's default measurement, its JSON in docs/data, its table.</summary>
    public static async Task<string> ReportAsync(string docsDirectory)
    {
        var results = await MeasureAsync(DefaultFleet, DefaultConcurrency, DefaultRequests, DefaultRounds);
        await File.WriteAllTextAsync(Path.Combine(docsDirectory, "data", "gateway-overhead.json"), JsonSerializer.Serialize(results, Indented));
        return Render(results);
    }

    private static string Render(List<ClosedLoopLoad.Result> results)
    {
        var direct = results[0];
        return Reports.Markdown.Table(["target", ">p50", ">p99", ">req/s", ">failures", ">added p50", ">added p99", ">req/s vs direct"],
            results.Select(r => new[]
            {
                r.Target, Ms(r.P50Ms), Ms(r.P99Ms), r.RequestsPerSecond.ToString("#,0", CultureInfo.InvariantCulture), $"{r.Failures}",
                r == direct ? "—" : Ms(r.P50Ms - direct.P50Ms), r == direct ? "—" : Ms(r.P99Ms - direct.P99Ms),
                (r.RequestsPerSecond / direct.RequestsPerSecond).ToString("0.00×", CultureInfo.InvariantCulture),
            }));
    }

    private static async Task<List<ClosedLoopLoad.Result>> MeasureAsync(string fleetSpec, int concurrency, int requests, int rounds)
    {
        var emulatorOptions = new EmulatorOptions { Fleet = fleetSpec, Port = 0, TimeScale = 1000 };
        await using var emulator = EmulatorHost.Build(emulatorOptions);
        await emulator.StartAsync();
        var upstreams = EmulatorHost.Urls(emulator, emulatorOptions);
        var ports = EmulatorHost.FreePorts(2);
        await using var gateway = await BenchGateway.StartAsync(upstreams, fleetSpec, ports[0]);
        var dio = GatewayHost.Address(gateway);

        using var nginx = await ProxyPeer.StartNginxAsync(upstreams, ports[1]);
        if (nginx is null)
        {
            Console.Error.WriteLine("nginx not found (apt-get install nginx): measuring direct and DIO only");
        }

        var model = emulatorOptions.Model;
        var results = new List<ClosedLoopLoad.Result>();
        for (var round = 1; round <= rounds; round++)
        {
            results.Clear();
            results.Add(await ClosedLoopLoad.RunAsync("direct (one emulator)", upstreams[0], concurrency, requests, model));
            results.Add(await ClosedLoopLoad.RunAsync("DIO gateway", dio, concurrency, requests, model));
            if (nginx is not null)
            {
                results.Add(await ClosedLoopLoad.RunAsync("nginx round robin", nginx.Url, concurrency, requests, model));
            }
        }

        await gateway.StopAsync();
        await emulator.StopAsync();
        return results;
    }

    private static string Ms(double ms) => ms.ToString("0.00 ms", CultureInfo.InvariantCulture);
}
