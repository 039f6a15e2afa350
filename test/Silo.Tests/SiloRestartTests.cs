using System.Net.Http.Json;
using System.Text.Json;
using Dio.Grains;
using Microsoft.Extensions.DependencyInjection;

using Dio.Testing;

namespace Dio.Silo.Tests;

/// <summary>A silo restart with Redis grain storage keeps every registration and every learned predictor.</summary>
public sealed class SiloRestartTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const string Model = "meta-llama/Meta-Llama-3-8B-Instruct";

    [Fact]
    public async Task Restart_KeepsRegistrationsAndPredictors()
    {
        JsonElement before = default;
        await using (var first = Silo())
        {
            var admin = first.Admin();
            foreach (var id in new[] { "a100-0", "l4-1" })
            {
                using var register = await admin.PostAsJsonAsync("/control/workers", new
                {
                    workerId = id, endpoint = $"http://127.0.0.1:9/{id}", model = Model, gpuProfile = id.StartsWith('a') ? "A100-80GB" : "L4",
                    maxModelLen = 8192, numGpuBlocks = 2405, blockSize = 16, maxNumSeqs = 256, tier = "small",
                });
                register.EnsureSuccessStatusCode();
            }

            // Teach the predictors through the grains, as a frontend does: 30 completions, each worker at its own speed.
            var router = first.Services.GetRequiredService<IGrainFactory>().GetGrain<IRouterGrain>(Model);
            for (var i = 0; i < 30; i++)
            {
                var prompt = 1000 + (i * 50);
                var outcome = await router.RouteAsync(new RouteRequest(Model, prompt, 0, 64, TtftSloMs: 60_000));
                Assert.Equal(RouteVerdict.Routed, outcome.Verdict);
                var ttft = (outcome.WorkerId == "a100-0" ? 80.0 : 300.0) * prompt / 1000;
                await router.CompleteAsync(new CompletionReport(outcome.WorkerId!, outcome.LeaseId, CompletionKind.Success, ttft,
                    ttft + (64 * 20), prompt, 64));
            }

            // Completions are one-way: wait until both workers have learned all 30.
            for (var i = 0; i < 400 && Observations(before = await WorkersAsync(admin)) < 30; i++)
            {
                await Task.Delay(10);
            }
        }

        await using var second = Silo();
        var after = await WorkersAsync(second.Admin());

        Assert.Equal(2, after.GetArrayLength());
        foreach (var (old, restored) in before.EnumerateArray().Zip(after.EnumerateArray()))
        {
            Assert.Equal(old.GetProperty("registration").ToString(), restored.GetProperty("registration").ToString());
            Assert.Equal(old.GetProperty("observations").GetInt64(), restored.GetProperty("observations").GetInt64());
            Assert.Equal(old.GetProperty("predictedTtftMs").GetDouble(), restored.GetProperty("predictedTtftMs").GetDouble(), 6);
            Assert.Equal(old.GetProperty("meanE2eMs").GetDouble(), restored.GetProperty("meanE2eMs").GetDouble(), 6);
        }

        Assert.Equal(30, Observations(before));
    }

    private RedisSiloFactory Silo() => new(redis.ConnectionString);

    private static long Observations(JsonElement workers) => workers.EnumerateArray().Sum(w => w.GetProperty("observations").GetInt64());

    private static async Task<JsonElement> WorkersAsync(HttpClient admin) => await admin.GetFromJsonAsync<JsonElement>("/control/workers");
}
