using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Dio.Bench.Overload;

/// <summary>
/// <c>overload</c>: a sustained overload over real HTTP. The gateway runs as its own process (<c>--demo</c>: embedded
/// silo, emulated fleet behind real sidecars); this process keeps <c>--factor</c> times as many requests outstanding
/// as the fleet's KV caches hold at once, for <c>--minutes</c>, half streamed and half not, and one client in ten
/// walks away mid-request. Clients retry 0.1–0.3 s after a 503, sooner than Retry-After asks. Every request is
/// classified by what its client saw; afterwards the gateway's own counts say whether a lease was left open and
/// whether any worker preempted.
/// </summary>
internal static class OverloadCommand
{
    private const string Model = "meta-llama/Meta-Llama-3-8B-Instruct";
    private const string AdminKey = "overload-bench";

    public static Command Create()
    {
        var minutes = new Option<double>("--minutes") { Description = "How long to hold the overload", DefaultValueFactory = _ => 5 };
        var factor = new Option<double>("--factor") { Description = "Outstanding requests as a multiple of what the fleet holds at once", DefaultValueFactory = _ => 3 };
        var fleet = new Option<string>("--fleet") { Description = "Emulated fleet", DefaultValueFactory = _ => "2xL4" };
        var timeScale = new Option<double>("--time-scale") { Description = "Emulated GPUs' speed-up", DefaultValueFactory = _ => 20 };
        var command = new Command("overload", "Sustained overload over HTTP: nothing lost, only 503 + Retry-After, no preemption, no lease left open")
        {
            minutes, factor, fleet, timeScale,
        };
        command.SetAction(parse => RunAsync(parse.GetValue(minutes), parse.GetValue(factor), parse.GetValue(fleet)!, parse.GetValue(timeScale)));
        return command;
    }

    private static async Task<int> RunAsync(double minutes, double factor, string fleet, double timeScale)
    {
        await using var gateway = await GatewayProcess.StartAsync(fleet, timeScale, AdminKey);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 4096 }) { Timeout = Timeout.InfiniteTimeSpan };
        var admin = new AdminApi(http, gateway.Url, AdminKey);
        var holds = await admin.RequestsTheFleetHoldsAsync(OverloadClient.PromptTokens + OverloadClient.MaxTokens);
        var clients = (int)Math.Ceiling(holds * factor);
        var preemptionsBefore = await admin.PreemptionsAsync();
        Console.WriteLine($"{fleet} at ×{timeScale}: holds {holds} requests at once; {clients} clients for {minutes} min");

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(minutes));
        var tally = new OverloadTally();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(i => new OverloadClient(http, gateway.Url, Model, seed: i).RunAsync(tally, stop.Token)));

        var leasesOpen = await admin.WaitForLeasesToCloseAsync(TimeSpan.FromSeconds(45));
        var preemptions = await admin.PreemptionsAsync() - preemptionsBefore;
        Console.WriteLine(tally.Render(leasesOpen, preemptions));
        return tally.Lost == 0 && tally.Other5xx == 0 && tally.ShedWithoutRetryAfter == 0 && leasesOpen == 0 && preemptions == 0 ? 0 : 1;
    }

    /// <summary>What the run needs from the control API.</summary>
    private sealed class AdminApi(HttpClient http, Uri gateway, string key)
    {
        /// <summary>How many requests of this size the fleet's KV caches hold at once (with DIO's 1.2 safety and 5% headroom).</summary>
        public async Task<int> RequestsTheFleetHoldsAsync(int tokensPerRequest)
        {
            var holds = 0;
            foreach (var worker in await GetAsync("/control/workers"))
            {
                var registration = worker.GetProperty("registration");
                var blocks = registration.GetProperty("numGpuBlocks").GetInt32();
                var need = 1.2 * Math.Ceiling((double)tokensPerRequest / registration.GetProperty("blockSize").GetInt32());
                holds += (int)Math.Floor(blocks * 0.95 / need);
            }

            return Math.Max(1, holds);
        }

        public async Task<long> PreemptionsAsync() => (await GetAsync("/control/workers"))
            .Sum(w => w.GetProperty("telemetry") is { ValueKind: JsonValueKind.Object } t ? t.GetProperty("preemptionsTotal").GetInt64() : 0);

        /// <summary>Open leases once they have had time to close (or expire); the count left is what leaked.</summary>
        public async Task<int> WaitForLeasesToCloseAsync(TimeSpan patience)
        {
            var deadline = TimeProvider.System.GetUtcNow() + patience;
            while (true)
            {
                var open = (await GetAsync("/control/pools")).Sum(p => p.GetProperty("openLeases").GetInt32());
                if (open == 0 || TimeProvider.System.GetUtcNow() > deadline)
                {
                    return open;
                }

                await Task.Delay(500);
            }
        }

        private async Task<List<JsonElement>> GetAsync(string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway, path));
            request.Headers.Add("X-Dio-Admin-Key", key);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<List<JsonElement>>() ?? [];
        }
    }
}
