using Dio.Silo.Dashboard;
using Dio.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddDioSilo();
builder.Services.AddHealthChecks();
builder.Services.AddProblemDetails();

var app = builder.Build();
// A body that does not bind (malformed JSON, wrong types) is the caller's error: its 400, as a problem, never a 500.
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
});
app.UseStatusCodePages();
app.MapHealthChecks("/health/live");
app.MapHealthChecks("/health/ready");
app.MapDioSilo();
app.MapDioDashboard();
app.Run();

/// <summary>Entry point; public for WebApplicationFactory tests.</summary>
public partial class Program;
