using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Dio.FrontendApi.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dio.Ui.Tests;

/// <summary>The fleet page in a real browser against a running gateway: what it shows is what the control API says.</summary>
[Collection(BrowserSessions.Name)]
public sealed class FleetPageBrowserTests(GatewayFixture gateway, BrowserFixture browser)
{
    [Fact]
    public async Task FleetPage_WithTheAdminKey_ShowsEveryWorkerAsTheControlApiDoes_Live()
    {
        await ServeStreamedAsync(6);   // so that learned, measured and served counts are not all at their priors
        var page = await browser.NewPageAsync();

        await page.GotoAsync(new Uri(gateway.Url, "/fleet").ToString());
        await page.Locator("#key").FillAsync(GatewayFixture.AdminKey);
        await page.Locator("#connect").ClickAsync();

        await ExpectShowsTheControlApiAsync(page);
        await Screenshots.SaveAsync(page, "fleet.png", page.Locator("header"), page.Locator("#status"));

        await ServeStreamedAsync(2);
        await ExpectShowsTheControlApiAsync(page);   // live: the page caught up with no reload
        await page.ReloadAsync();
        await ExpectShowsTheControlApiAsync(page);   // the key outlived the reload (sessionStorage)
        await Expect(page.Locator("#key-form")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task FleetPage_WithAWrongKey_SaysSo_AndShowsNoWorkers()
    {
        var page = await browser.NewPageAsync();

        await page.GotoAsync(new Uri(gateway.Url, "/fleet").ToString());
        await page.Locator("#key").FillAsync("not-the-key");
        await page.Locator("#connect").ClickAsync();

        await Expect(page.Locator("#key-error")).ToBeVisibleAsync();
        await Expect(page.Locator("#workers")).ToBeHiddenAsync();
    }

    /// <summary>Waits until the fleet is idle (its numbers hold still), then until the page shows, for every worker, the
    /// numbers /control/workers gives, formatted as the page formats them.</summary>
    private async Task ExpectShowsTheControlApiAsync(IPage page)
    {
        await GatewayFixture.WaitUntilAsync(async () => (await gateway.WorkersAsync()).All(Idle), "every worker idle, as its last reading shows");
        var workers = await gateway.WorkersAsync();

        await Expect(page.Locator("#workers tr[data-worker]")).ToHaveCountAsync(workers.Count);
        foreach (var worker in workers)
        {
            var registration = worker.GetProperty("registration");
            // Under its model's pool, which is where the page groups it.
            var row = page.Locator($"#workers tbody[data-model='{registration.GetProperty("model").GetString()}'] " +
                $"tr[data-worker='{registration.GetProperty("workerId").GetString()}']");
            await ExpectCellAsync(row, "gpu", registration.GetProperty("gpuProfile").GetString()!);
            await ExpectCellAsync(row, "health", worker.GetProperty("healthy").GetBoolean() ? "healthy" : "unhealthy");
            await ExpectCellAsync(row, "inFlight", worker.GetProperty("inFlight").GetInt32().ToString(CultureInfo.InvariantCulture));
            await ExpectCellAsync(row, "observations", worker.GetProperty("observations").GetInt64().ToString(CultureInfo.InvariantCulture));
            await ExpectCellAsync(row, "kvUsage", Percent(worker.GetProperty("telemetry").GetProperty("kvUsage").GetDouble()));
            await ExpectCellAsync(row, "predictedTtft", Ms(worker.GetProperty("predictedTtftMs").GetDouble()));
            await ExpectCellAsync(row, "measuredTtft", Ms(worker.GetProperty("meanTtftMs").GetDouble()));
            await ExpectCellAsync(row, "predictedTpot", Ms(worker.GetProperty("predictedTpotMs").GetDouble()));
            await ExpectCellAsync(row, "measuredTpot", Ms(worker.GetProperty("meanTpotMs").GetDouble()));
        }
    }

    private static Task ExpectCellAsync(ILocator row, string field, string text) => Expect(row.Locator($"[data-field='{field}']")).ToHaveTextAsync(text);

    private static bool Idle(JsonElement worker) =>
        worker.GetProperty("inFlight").GetInt32() == 0 && worker.GetProperty("telemetry") is { ValueKind: JsonValueKind.Object } reading
        && reading.GetProperty("running").GetInt32() == 0 && reading.GetProperty("waiting").GetInt32() == 0 && reading.GetProperty("kvUsage").GetDouble() == 0;

    /// <summary>Streamed chat completions with usage (only a stream has a first token to time), then waits until every one has
    /// been learned from.</summary>
    private async Task ServeStreamedAsync(int count)
    {
        var before = (await gateway.WorkersAsync()).Sum(w => w.GetProperty("observations").GetInt64());
        for (var i = 0; i < count; i++)
        {
            using var response = await gateway.Http.PostAsJsonAsync(new Uri(gateway.Url, "/v1/chat/completions"), new
            {
                model = GatewayFixture.Model,
                messages = new[] { new { role = "user", content = $"Fleet page request {i}" } },
                max_tokens = 8,
                stream = true,
                stream_options = new { include_usage = true },
            });
            response.EnsureSuccessStatusCode();
            Assert.EndsWith("data: [DONE]\n\n", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await GatewayFixture.WaitUntilAsync(async () => (await gateway.WorkersAsync()).Sum(w => w.GetProperty("observations").GetInt64()) == before + count,
            $"{count} more completions learned from");
    }

    // As fleet.html formats them (JavaScript's Math.round rounds halves up, as AwayFromZero does for these positive values).
    private static string Ms(double value) => value <= 0 ? "—"
        : value < 10 ? value.ToString("0.0", CultureInfo.InvariantCulture) + " ms"
        : Math.Round(value, MidpointRounding.AwayFromZero).ToString(CultureInfo.InvariantCulture) + " ms";

    private static string Percent(double fraction) => Math.Round(fraction * 100, MidpointRounding.AwayFromZero).ToString(CultureInfo.InvariantCulture) + "%";
}
