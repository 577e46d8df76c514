using System.Net;
using System.Net.Http.Json;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.RealHost;

/// <summary>
/// What operators see under the real host in OpenTelemetry mode (host.json <c>telemetryMode</c>): the host's
/// console, and what both exporters (the host's and the app's own) send to Application Insights, caught by a
/// loopback ingestion endpoint. docs/monitoring.md's queries and alerts are written against what this pins.
/// </summary>
public sealed class RealHostTelemetryTests : IAsyncLifetime
{
    private readonly FakeApplicationInsights insights = new();

    // The exporters' offline storage (where a failed transmit waits for its retry) defaults to
    // $TMPDIR/Microsoft/AzureMonitor/<hash of instrumentation key, user, process name, app directory>: the same folder for
    // every real host on the machine with this test's key, whichever run or worktree started it, and it outlives them.
    // A folder of this test's own keeps another run's leftovers from reaching this endpoint (a stale POST /api/otp row
    // would pass the test, a stale line fail it) and this run's from reaching another's.
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("real-host-telemetry-");
    private RealFunctionsHost host = null!;

    public async Task InitializeAsync()
    {
        await insights.StartAsync();
        var settings = RealHostSettings.Development("realtel");
        settings["APPLICATIONINSIGHTS_CONNECTION_STRING"] = insights.ConnectionString;
        settings["Otp:Delivery:Sms:Provider"] = "Log";
        settings["Otp:Delivery:Email:Provider"] = "Log";

        // The host's trace exporter samples at 5 root spans a second by default (Azure Monitor exporter 1.8.3:
        // TracesPerSecond = 5, a RateLimitedSampler adapting over 100 ms), and its own storage polling (Azure.* spans)
        // comes close to that: measured under this host, 7 and 8 of 80 spaced requests never got a requests row, against
        // 0 of 80 with every trace kept. This test's one POST was dropped that way now and then. Keeping every trace (the
        // exporter reads these variables; the worker's exporter too, which changes none of its lines) makes the row
        // certain without changing what it asserts the host exports.
        settings["OTEL_TRACES_SAMPLER"] = "microsoft.fixed_percentage";
        settings["OTEL_TRACES_SAMPLER_ARG"] = "1.0";
        settings["TMPDIR"] = temp.FullName;
        host = await RealFunctionsHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await insights.DisposeAsync();
        temp.Delete(recursive: true);
    }

    [Fact]
    public async Task ShowsStartUpLinesOnTheHostConsoleAndSendsEveryAppLineWithItsEventIdToApplicationInsights()
    {
        // Start-up lines, logged before any invocation: the host drops them from the worker's log stream, so they
        // reach its console through the worker's standard output (Host.Function.Console), with our event ids.
        await host.WaitForConsoleAsync(@"Host\.Function\.Console.*\n.*warn: OtpFunctions\.Startup\.StartupChecks\[4004\] Development: ", RealFunctionsHost.Patience);
        await host.WaitForConsoleAsync(@"info: OtpFunctions\.Delivery\.DeliveryStartupCheck\[2012\] Delivery providers: SMS via log", RealFunctionsHost.Patience);

        using var send = await host.Client.PostAsJsonAsync("api/otp", new { channel = "sms", to = "+14155550142" });
        Assert.Equal(HttpStatusCode.Accepted, send.StatusCode);

        // Invocation lines reach the console through the host, which logs every one with event id 0 (it keeps only the name).
        await host.WaitForConsoleAsync(@"Function\.SendCode\.User\[0\]\n\s+Code issued for challenge", RealFunctionsHost.Patience);

        // Application Insights gets the app's lines from the app's own exporter, with EventId, EventName and properties,
        // start-up lines included; the requests table from the host.
        var issued = await TraceAsync("1001");
        Assert.Equal("CodeIssued", issued.Property("EventName"));
        Assert.StartsWith("OtpFunctions.", issued.Property("CategoryName"), StringComparison.Ordinal);
        Assert.Equal("+1415*****42", issued.Property("MaskedTo"));
        Assert.Equal("DevelopmentSecretsGenerated", (await TraceAsync("4004")).Property("EventName"));
        Assert.Equal("ProvidersReady", (await TraceAsync("2012")).Property("EventName"));
        await TraceAsync("2001");
        var request = await Eventually.GetAsync(
            () => Task.FromResult(insights.Requests.FirstOrDefault(r => r.Text("url")?.EndsWith("/api/otp", StringComparison.Ordinal) == true)),
            found => found is not null,
            _ => $"no request for POST /api/otp reached Application Insights. What each POST to it held:\n{insights.Timeline}",
            // The host exports every 5 s, but a batch whose transmit failed waits in offline storage, which the exporter
            // retries every 120 s (TransmitFromStorageHandler): a row that late is still no fault.
            TimeSpan.FromSeconds(150));
        Assert.Equal("202", request!.Text("responseCode"));

        // The host does not export its copies of the app's lines (Function.<Name>.User) once the worker exports its own:
        // the queries on EventId see each line once. Wait for the host's next export batch before looking.
        await Task.Delay(TimeSpan.FromSeconds(8));
        Assert.DoesNotContain(insights.Traces, t => t.Property("CategoryName")?.StartsWith("Function.", StringComparison.Ordinal) == true);
        Assert.Single(insights.Traces, t => t.Property("EventId") == "1001");
    }

    private async Task<AppInsightsItem> TraceAsync(string eventId) =>
        (await Eventually.GetAsync(
            () => Task.FromResult(insights.Traces.FirstOrDefault(t => t.Property("EventId") == eventId)),
            found => found is not null,
            _ => $"no line with EventId {eventId} reached Application Insights; event ids seen: {string.Join(", ", insights.Traces.Select(t => t.Property("EventId")).Distinct())}",
            RealFunctionsHost.Patience))!;
}
