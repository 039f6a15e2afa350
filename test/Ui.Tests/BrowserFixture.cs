using Microsoft.Playwright;

namespace Dio.Ui.Tests;

/// <summary>
/// One headless chromium for the UI tests: Debian's (<c>apt-get install chromium</c>, as .ci/run does), driven by
/// Playwright through its executable path, so Playwright never downloads a browser of its own. DIO_CHROMIUM points
/// elsewhere if it lives somewhere else.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static string ExecutablePath => Environment.GetEnvironmentVariable("DIO_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"No chromium at {ExecutablePath}: apt-get install -y chromium (or set DIO_CHROMIUM).");
        }

        // Expect retries until its condition holds; the page polls every second, and a loaded CI machine is slow.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ExecutablePath, Headless = true });
    }

    /// <summary>A page in a fresh context: its own sessionStorage, nothing left over from another test.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
