using System.Diagnostics;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OtpFunctions.Configuration;

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

    /// <summary>
    /// Exporters are added while services are registered, before any options can be resolved: the one
    /// place configuration is bound eagerly. The credential is resolved later, when the exporters are built.
    /// </summary>
    public static IServiceCollection AddOtpTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var exporters = configuration.Get<TelemetryOptions>() ?? new TelemetryOptions();
        var telemetry = services.AddOpenTelemetry();
        telemetry.WithMetrics(metrics => AddMetricExporters(metrics, exporters));
        telemetry.WithTracing(tracing =>
        {
            tracing.AddSource(ActivitySourceName);
            if (exporters.ExportsToAzureMonitor)
            {
                tracing.AddAzureMonitorTraceExporter();
            }

            if (exporters.ExportsToOtlp)
            {
                tracing.AddOtlpExporter();
            }
        });

        if (exporters.ExportsToAzureMonitor)
        {
            // Metrics and traces read these options when they are built; the log exporter is configured inside the logger's options.
            services.AddOptions<AzureMonitorExporterOptions>().Configure<AzureCredentials>((options, credentials) => ConfigureAzureMonitor(options, exporters, credentials));
        }

        if (exporters.ExportsToAzureMonitor || exporters.ExportsToOtlp)
        {
            AddLogExporters(services, exporters);
        }

        return services;
    }

    private static void AddMetricExporters(MeterProviderBuilder metrics, TelemetryOptions exporters)
    {
        metrics.AddMeter(OtpMetrics.MeterName);
        if (exporters.ExportsToAzureMonitor)
        {
            metrics.AddAzureMonitorMetricExporter();
        }

        if (exporters.ExportsToOtlp)
        {
            metrics.AddOtlpExporter();
        }

        if (exporters.Console)
        {
            metrics.AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 10_000);
        }
    }

    private static void AddLogExporters(IServiceCollection services, TelemetryOptions exporters)
    {
        services.AddLogging(logging => logging.AddOpenTelemetry());
        services.AddOptions<OpenTelemetryLoggerOptions>().Configure<AzureCredentials>((options, credentials) =>
        {
            // Log messages are structured by OtpLog: keep the template and its parameters as attributes.
            options.IncludeFormattedMessage = true;
            options.ParseStateValues = true;
            if (exporters.ExportsToAzureMonitor)
            {
                options.AddAzureMonitorLogExporter(azureMonitor => ConfigureAzureMonitor(azureMonitor, exporters, credentials));
            }

            if (exporters.ExportsToOtlp)
            {
                options.AddOtlpExporter();
            }
        });
    }

    /// <summary>With the managed identity when one is configured: the deployed resource refuses key-based ingestion.</summary>
    private static void ConfigureAzureMonitor(AzureMonitorExporterOptions options, TelemetryOptions exporters, AzureCredentials credentials)
    {
        options.ConnectionString = exporters.ApplicationInsightsConnectionString;
        // Traces stay rate limited (the exporter's default), but every log line is exported: thinning lines with
        // their trace would make counts by EventId, and the log-based poison alert, miss lines at load.
        options.EnableTraceBasedLogsSampler = false;
        if (credentials.ManagedIdentityOrNull() is { } credential)
        {
            options.Credential = credential;
        }
    }
}
