using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions;

var builder = FunctionsApplication.CreateBuilder(args);

// ASP.NET Core integration: functions take HttpRequest and return IActionResult.
builder.ConfigureFunctionsWebApplication();

// Everything the service needs; the local host calls the same method.
builder.Services.AddOtp(builder.Configuration, builder.Environment);

// Function invocations as OpenTelemetry spans; exporters are chosen in AddOtp from configuration.
builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();

builder.Build().Run();
