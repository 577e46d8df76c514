using Microsoft.Extensions.Configuration;
using OtpFunctions.Configuration;

namespace OtpFunctions.Telemetry;

/// <summary>
/// Which exporters run: the flat names are the ones the Azure Monitor and OpenTelemetry tooling set. Read
/// once while services are registered (exporters cannot be added later), so not an <c>IOptions</c>; a bad
/// value is reported by the exporter that reads it.
/// </summary>
public sealed class TelemetryOptions
{
    [ConfigurationKeyName(SettingNames.ApplicationInsightsConnectionString)]
    public string? ApplicationInsightsConnectionString { get; set; }

    [ConfigurationKeyName(SettingNames.OtlpEndpoint)]
    public string? OtlpEndpoint { get; set; }

    /// <summary>Prints metrics every ten seconds, to watch them locally.</summary>
    [ConfigurationKeyName(SettingNames.TelemetryConsole)]
    public bool Console { get; set; }

    public bool ExportsToAzureMonitor => !string.IsNullOrWhiteSpace(ApplicationInsightsConnectionString);

    public bool ExportsToOtlp => !string.IsNullOrWhiteSpace(OtlpEndpoint);
}
