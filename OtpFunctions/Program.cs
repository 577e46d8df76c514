using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using OtpFunctions;

var builder = FunctionsApplication.CreateBuilder(args);

// ASP.NET Core integration: functions take HttpRequest and return IActionResult.
builder.ConfigureFunctionsWebApplication();

// Everything the service needs; the local host calls the same method.
builder.Services.AddOtp(builder.Configuration, builder.Environment);

builder.Build().Run();
