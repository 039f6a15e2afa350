using Dio.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddDioSilo();
builder.Services.AddHealthChecks();
builder.Services.AddProblemDetails();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapHealthChecks("/health/live");
app.MapHealthChecks("/health/ready");
app.MapDioSilo();
app.Run();

/// <summary>Entry point; public for WebApplicationFactory tests.</summary>
public partial class Program;
