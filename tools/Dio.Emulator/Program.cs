using Dio.Emulator.Hosting;

var options = EmulatorOptions.Parse(args);
var app = EmulatorHost.Build(options, args);
await app.StartAsync();
foreach (var (url, server) in EmulatorHost.Urls(app, options).Zip(app.Services.GetRequiredService<Dio.Emulator.Serving.EmulatedFleet>().Servers))
{
    Console.WriteLine($"{server.Engine.Options.Gpu.Name,-10} {url}  ({server.Engine.NumGpuBlocks} KV blocks, max_model_len {server.MaxModelLen}, ×{options.TimeScale} speed)");
}

await app.WaitForShutdownAsync();
