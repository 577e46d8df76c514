using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OtpFunctions.LocalHost;

namespace OtpFunctions.Tests.Http;

/// <summary>
/// Issue 20, item 12: under scripts/run the local host's console keeps what a developer needs (the app's own lines,
/// Kestrel's address) without ASP.NET Core's four lines per request or Azure SDK request logs.
/// </summary>
public sealed class LocalConsoleTests
{
    [Theory]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics", false)]
    [InlineData("Microsoft.AspNetCore.Routing.EndpointMiddleware", false)]
    [InlineData("Azure.Core", false)]
    [InlineData("Microsoft.Hosting.Lifetime", true)]
    [InlineData("OtpFunctions.Delivery.Log.LogDeliveryProvider", true)]
    [InlineData("OtpFunctions.Telemetry.OtpLog", true)]
    public void ShowsInformationOnlyFromTheAppGivenDefaultSettings(string category, bool shown)
    {
        using var app = LocalFunctionsHost.Build(LocalFunctionsHost.CreateBuilder([], loadLocalSettings: false));

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(category);

        Assert.Equal(shown, logger.IsEnabled(LogLevel.Information));
        Assert.True(logger.IsEnabled(LogLevel.Warning));
    }

    [Fact]
    public void ShowsRequestLinesAgainGivenTheDeveloperAsks()
    {
        using var app = LocalFunctionsHost.Build(LocalFunctionsHost.CreateBuilder(["--Logging:LogLevel:Microsoft.AspNetCore=Information"], loadLocalSettings: false));

        Assert.True(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information));
    }
}
