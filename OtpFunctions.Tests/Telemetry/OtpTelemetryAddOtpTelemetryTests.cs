using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Telemetry;

/// <summary>Application Insights exporters use the configured managed identity: the deployed resource refuses key-based ingestion.</summary>
public sealed class OtpTelemetryAddOtpTelemetryTests
{
    private const string AppInsights = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1/";

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000001", true)]
    [InlineData(null, false)]
    public void UsesManagedIdentityOnlyGivenClientId(string? clientId, bool expectIdentity)
    {
        using var services = Services(new() { ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = AppInsights, ["Otp:ManagedIdentityClientId"] = clientId });

        var exporter = services.GetRequiredService<IOptions<AzureMonitorExporterOptions>>().Value;

        Assert.Equal(AppInsights, exporter.ConnectionString);
        Assert.Equal(expectIdentity, exporter.Credential is ManagedIdentityCredential);
        Assert.NotNull(services.GetRequiredService<MeterProvider>());
        Assert.NotNull(services.GetRequiredService<TracerProvider>());
        Assert.NotNull(services.GetRequiredService<ILoggerFactory>().CreateLogger("test"));
        Assert.True(services.GetRequiredService<IOptions<OpenTelemetryLoggerOptions>>().Value.IncludeFormattedMessage);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddSingleton(TestEnvironments.Named(Environments.Production));
        services.AddOtp(configuration);
        return services.BuildServiceProvider();
    }
}
