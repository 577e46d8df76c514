using System.Reflection;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Telemetry;

/// <summary>
/// What the worker's Application Insights exporter (Azure.Monitor.OpenTelemetry.Exporter) does with sampling, as
/// docs/monitoring.md states it: traces are rate limited (5 a second) unless OTEL_TRACES_SAMPLER names one of its
/// own samplers (microsoft.rate_limited, microsoft.fixed_percentage); the standard OpenTelemetry names are ignored;
/// and log lines are never dropped with an unsampled trace, so counts by EventId stay true.
/// </summary>
public sealed class OtpTelemetrySamplingTests
{
    private const string AppInsights = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1/";

    [Theory]
    [InlineData(null, null)]
    [InlineData("always_off", null)]
    [InlineData("traceidratio", "0")]
    [InlineData("parentbased_always_on", null)]
    public void RateLimitsTracesAtFivePerSecondGivenNoMicrosoftSampler(string? sampler, string? argument)
    {
        using var services = Services(sampler, argument);

        Assert.Equal("RateLimitedSampler", SamplerOf(services));
        Assert.Equal(5, services.GetRequiredService<IOptions<AzureMonitorExporterOptions>>().Value.TracesPerSecond);
    }

    [Fact]
    public void RateLimitsAtTheGivenRateGivenMicrosoftRateLimited()
    {
        using var services = Services("microsoft.rate_limited", "0.5");

        Assert.Equal("RateLimitedSampler", SamplerOf(services));
        Assert.Equal(0.5, services.GetRequiredService<IOptions<AzureMonitorExporterOptions>>().Value.TracesPerSecond);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("1", 200)]
    public void SamplesThatShareGivenMicrosoftFixedPercentage(string ratio, int expected)
    {
        using var services = Services("microsoft.fixed_percentage", ratio);

        Assert.Equal("ApplicationInsightsSampler", SamplerOf(services));
        Assert.Equal(expected, SampledOf(services, 200));
    }

    [Fact]
    public void ExportsEveryLogLineGivenAnUnsampledTrace()
    {
        // On by default in the exporter: lines logged inside an invocation whose trace was not sampled would be dropped,
        // and the workbook, alerts and documented queries count lines by EventId.
        using var services = Services(null, null);

        Assert.False(services.GetRequiredService<IOptions<AzureMonitorExporterOptions>>().Value.EnableTraceBasedLogsSampler);
    }

    /// <summary>
    /// Asks the provider's own sampler about <paramref name="traces"/> new traces. Counting recorded activities of the
    /// shared <c>ActivitySource</c> instead would also count what other tests' hosts, listening in the same process,
    /// decide: the suite once saw 200 of 200 recorded at ratio 0 that way.
    /// </summary>
    private static int SampledOf(ServiceProvider services, int traces)
    {
        var sampler = (Sampler)SamplerObjectOf(services)!;
        return Enumerable.Range(0, traces).Count(_ =>
            sampler.ShouldSample(new SamplingParameters(default, System.Diagnostics.ActivityTraceId.CreateRandom(), "probe", System.Diagnostics.ActivityKind.Internal)).Decision == SamplingDecision.RecordAndSample);
    }

    // The SDK's provider keeps its sampler in a public property of an internal type.
    private static string? SamplerOf(ServiceProvider services) => SamplerObjectOf(services)?.GetType().Name;

    private static object? SamplerObjectOf(ServiceProvider services)
    {
        var provider = services.GetRequiredService<TracerProvider>();
        return provider.GetType().GetProperty("Sampler", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)?.GetValue(provider);
    }

    private static ServiceProvider Services(string? sampler, string? argument)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = AppInsights,
            ["OTEL_TRACES_SAMPLER"] = sampler,
            ["OTEL_TRACES_SAMPLER_ARG"] = argument,
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddSingleton(TestEnvironments.Named(Environments.Production));
        services.AddOtp(configuration);
        return services.BuildServiceProvider();
    }
}
