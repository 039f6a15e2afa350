using Microsoft.Playwright;

namespace Dio.Ui.Tests;

/// <summary>
/// Screenshots the tests take on every run. They go beside the test binaries (screenshots/), so a test run leaves
/// the working tree clean; with <c>DIO_UPDATE_SCREENSHOTS=1</c> they replace the committed ones under docs/screenshots/
/// that the README links.
/// </summary>
internal static class Screenshots
{
    private const int Margin = 16;

    /// <summary>Saves the part of the page from the top of <paramref name="from"/> to the bottom of <paramref name="to"/>,
    /// across the page's full width.</summary>
    public static async Task SaveAsync(IPage page, string fileName, ILocator from, ILocator to)
    {
        // Bounding boxes are relative to the viewport, a full-page clip to the page: add the scroll offsets.
        var scroll = await page.EvaluateAsync<double[]>("[window.scrollX, window.scrollY, document.documentElement.scrollWidth]");
        var top = await from.BoundingBoxAsync() ?? throw new InvalidOperationException("Nothing to screenshot: the first element is not shown.");
        var bottom = await to.BoundingBoxAsync() ?? throw new InvalidOperationException("Nothing to screenshot: the last element is not shown.");
        var y = Math.Max(0, top.Y + scroll[1] - Margin);
        await page.ScreenshotAsync(new()
        {
            Path = PathFor(fileName),
            FullPage = true,
            Clip = new() { X = 0, Y = (float)y, Width = (float)scroll[2], Height = (float)(bottom.Y + scroll[1] + bottom.Height + Margin - y) },
        });
    }

    private static string PathFor(string fileName)
    {
        if (Environment.GetEnvironmentVariable("DIO_UPDATE_SCREENSHOTS") != "1")
        {
            var local = Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(local);
            return Path.Combine(local, fileName);
        }

        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Dio.Orleans.sln")))
        {
            directory = directory.Parent;
        }

        var folder = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Dio.Orleans.sln not found above the test binaries."),
            "docs", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, fileName);
    }
}
