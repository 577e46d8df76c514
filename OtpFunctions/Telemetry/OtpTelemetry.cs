using System.Diagnostics;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OtpFunctions.Storage;

namespace OtpFunctions.Telemetry;

/// <summary>
/// OpenTelemetry for metrics, traces and logs. Exporters follow configuration: Application Insights when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (with the managed identity when one is configured,
/// since the deployed resource refuses key-based ingestion), OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set, and the console when <c>Otp:Telemetry:Console</c> is true (to watch metrics locally).
/// </summary>
public static class OtpTelemetry
{
    public const string ActivitySourceName = "OtpFunctions";

    public static readonly ActivitySource Source = new(ActivitySourceName);

    public static IServiceCollection AddOtpTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var appInsights = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var console = configuration.GetValue<bool>("Otp:Telemetry:Console");
        var identity = configuration["Otp:ManagedIdentityClientId"];

        void ConfigureAzureMonitor(AzureMonitorExporterOptions options)
        {
            options.ConnectionString = appInsights;
            if (!string.IsNullOrWhiteSpace(identity))
            {
                options.Credential = OtpStorage.CreateCredential(identity);
            }
        }

        var telemetry = services.AddOpenTelemetry();
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(OtpMetrics.MeterName);
            if (!string.IsNullOrWhiteSpace(appInsights))
            {
                metrics.AddAzureMonitorMetricExporter(ConfigureAzureMonitor);
            }

            if (otlp)
            {
                metrics.AddOtlpExporter();
            }

            if (console)
            {
                metrics.AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 10_000);
            }
        });
        telemetry.WithTracing(tracing =>
        {
            tracing.AddSource(ActivitySourceName);
            if (!string.IsNullOrWhiteSpace(appInsights))
            {
                tracing.AddAzureMonitorTraceExporter(ConfigureAzureMonitor);
            }

            if (otlp)
            {
                tracing.AddOtlpExporter();
            }
        });

        if (!string.IsNullOrWhiteSpace(appInsights) || otlp)
        {
            services.AddLogging(logging => logging.AddOpenTelemetry(options =>
            {
                // Log messages are structured by OtpLog: keep the template and its parameters as attributes.
                options.IncludeFormattedMessage = true;
                options.ParseStateValues = true;
                if (!string.IsNullOrWhiteSpace(appInsights))
                {
                    options.AddAzureMonitorLogExporter(ConfigureAzureMonitor);
                }

                if (otlp)
                {
                    options.AddOtlpExporter();
                }
            }));
        }

        return services;
    }
}
