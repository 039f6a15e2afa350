using Dio.Emulator.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Dio.Emulator.Tests;

/// <summary>A real emulator process-in-process: three servers on free loopback ports, 20× faster than real time.
/// Server 0 is an A100, 1 an L4, 2 an L4 kept for fault injection.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public const string Model = "meta-llama/Meta-Llama-3-8B-Instruct";

    private readonly EmulatorOptions _options = new() { Fleet = "1xA100-80GB,2xL4", Port = 0, TimeScale = 20 };
    private WebApplication? _app;

    public IReadOnlyList<Uri> Urls { get; private set; } = [];

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromMinutes(2) };

    public async Task InitializeAsync()
    {
        _app = EmulatorHost.Build(_options);
        await _app.StartAsync();
        Urls = EmulatorHost.Urls(_app, _options);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
