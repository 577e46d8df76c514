using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OtpFunctions;
using OtpFunctions.Telemetry;

var builder = FunctionsApplication.CreateBuilder(args);

// ASP.NET Core integration: functions take HttpRequest and return IActionResult.
builder.ConfigureFunctionsWebApplication();

// App logs reach the host only with the invocation id the OpenTelemetry defaults no longer put in scope.
builder.UseMiddleware<InvocationLogScope>();

// Everything the service needs; the local host calls the same method.
builder.Services.AddOtp(builder.Configuration);

// Lines logged outside an invocation (start-up checks, the providers chosen) reach the host only through the
// worker's standard output: the host drops forwarded lines without an invocation id.
builder.Logging.AddProvider(new HostConsoleLoggerProvider());

// Azure SDK request logs drown the service's own lines: warnings and errors only, unless configuration says otherwise.
builder.Logging.AddFilter("Azure", LogLevel.Warning);

// Function invocations as OpenTelemetry spans; exporters are chosen in AddOtp from configuration.
builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();

builder.Build().Run();
