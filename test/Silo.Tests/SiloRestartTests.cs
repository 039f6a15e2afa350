using System.Net.Http.Json;
using System.Text.Json;

namespace Dio.Silo.Tests;

/// <summary>A silo restart with Redis keeps every registration and every learned predictor.</summary>
public sealed class SiloRestartTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const string Model = "meta-llama/Meta-Llama-3-8B-Instruct";

    [Fact]
    public async Task Restart_KeepsRegistrationsAndPredictors()
    {
        JsonElement before;
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

            // Teach the predictors: 30 completions, each worker answering at its own speed.
            for (var i = 0; i < 30; i++)
            {
                var outcome = await (await admin.PostAsJsonAsync("/control/route", new { model = Model, promptTokens = 1000 + (i * 50), maxTokens = 64 }))
                    .Content.ReadFromJsonAsync<JsonElement>();
                var worker = outcome.GetProperty("workerId").GetString()!;
                var ttft = (worker == "a100-0" ? 80.0 : 300.0) * (1000 + (i * 50)) / 1000;
                using var complete = await admin.PostAsJsonAsync("/control/complete", new
                {
                    workerId = worker, reservationId = outcome.GetProperty("reservationId").GetInt64(), kind = 0, ttftMs = ttft,
                    e2eMs = ttft + 64 * 20, promptTokens = 1000 + (i * 50), completionTokens = 64,
                });
            }

            before = await WorkersAsync(admin);

            // The write-behind reaches Redis within its period: wait until Redis holds all 30 observations.
            await using var redisClient = new Dio.Silo.Storage.Redis.RespClient(Dio.Silo.Storage.Redis.RedisEndpoint.Parse(redis.ConnectionString),
                TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<Dio.Silo.Storage.Redis.RespClient>.Instance);
            for (var i = 0; i < 400 && await PersistedObservationsAsync(redisClient) < 30; i++)
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

        Assert.True(before.EnumerateArray().Sum(w => w.GetProperty("observations").GetInt64()) == 30, "the predictors had learned before the restart");
    }

    private RedisSiloFactory Silo() => new(redis.ConnectionString);

    private static async Task<long> PersistedObservationsAsync(Dio.Silo.Storage.Redis.RespClient client)
    {
        var hash = await client.ExecuteAsync(["HGETALL", "dio:workers"]);
        var items = hash.Items ?? [];
        var total = 0L;
        for (var i = 1; i < items.Count; i += 2)
        {
            total += JsonDocument.Parse(items[i].Text!).RootElement.GetProperty("ttft").GetProperty("observations").GetInt64();
        }

        return total;
    }

    private static async Task<JsonElement> WorkersAsync(HttpClient admin) => await admin.GetFromJsonAsync<JsonElement>("/control/workers");
}
