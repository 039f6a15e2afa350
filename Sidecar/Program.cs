using Dio.Sidecar.Hosting;

var app = SidecarHost.Build(args);
await app.RunAsync();
