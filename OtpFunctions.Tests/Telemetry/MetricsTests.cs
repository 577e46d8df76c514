using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Telemetry;

/// <summary>A send and a verify show up in the exported metrics, with channel and purpose, never a code or destination.</summary>
[Collection(MeasuredAlone.Name)]
public sealed class MetricsTests : IAsyncLifetime
{
    private const string Probe = "metricsprobe";

    private readonly List<Metric> exported = [];
    private OtpHost host = null!;

    public async Task InitializeAsync() =>
        host = await OtpHost.StartAsync(
            // The exporter listens to the meter by name, process-wide: the class runs alone (MeasuredAlone), and the exact
            // counts below also use a purpose no other test sends.
            new Dictionary<string, string?> { ["Otp:AllowedPurposes"] = $"login,signup,payment,{Probe}" },
            services: services => services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(exported)));

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task EmitsSendVerifyDeliveryAndRateLimitMetrics()
    {
        var to = Destinations.Phone();
        var id = await host.SendAsync(to, purpose: "signup");
        var code = await host.Delivery.WaitForCodeAsync(id);
        await SendManyAsync(to);
        using var verify = await host.VerifyAsync(id, code);
        Assert.Equal(HttpStatusCode.Gone, verify.StatusCode);
        var second = await host.SendAsync(Destinations.Email(), channel: "email", purpose: Probe);
        (await host.VerifyAsync(second, Contract.WrongCode(await host.Delivery.WaitForCodeAsync(second)))).Dispose();
        using var approved = await host.VerifyAsync(second, await host.Delivery.WaitForCodeAsync(second));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

        host.Services.GetRequiredService<MeterProvider>().ForceFlush();

        Assert.True(Sum("otp.codes.sent", ("channel", "sms"), ("purpose", "signup")) >= 1);
        Assert.Equal(1, Sum("otp.codes.verified", ("channel", "email"), ("purpose", Probe)));
        Assert.Equal(1, Sum("otp.codes.failed", ("channel", "email"), ("purpose", Probe)));
        Assert.Equal(1, Sum("otp.codes.expired", ("channel", "sms"), ("purpose", "signup")));
        Assert.True(Sum("otp.ratelimit.rejections", ("scope", "destination")) >= 1);
        Assert.True(Sum("otp.delivery.outcomes", ("provider", "capture"), ("outcome", "sent")) >= 2);
        Assert.True(HistogramCount("otp.verify.duration") >= 3);
        Assert.True(HistogramCount("otp.delivery.duration") >= 2);
        var tagValues = exported.SelectMany(Points).SelectMany(p => Tags(p).Select(t => t.Value?.ToString() ?? "")).ToList();
        Assert.DoesNotContain(tagValues, value => value.Contains(to[2..], StringComparison.Ordinal) || value.Contains(code, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RecordsCodeInHandPerChannelFromSendToProvider()
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var sms = await host.SendAsync(Destinations.Phone());
        var email = await host.SendAsync(Destinations.Email(), channel: "email");
        await host.Delivery.WaitForCodeAsync(sms);
        await host.Delivery.WaitForCodeAsync(email);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        host.Services.GetRequiredService<MeterProvider>().ForceFlush();

        foreach (var channel in new[] { "sms", "email" })
        {
            var points = exported.Where(m => m.Name == "otp.delivery.code_in_hand").SelectMany(Points).Where(p => Matches(p, [("channel", channel)])).ToList();
            Assert.True(points.Sum(p => p.GetHistogramCount()) >= 1, $"no code-in-hand point for {channel}");
            // Send accepted to provider accepted lies within what the test itself waited: not a provider-only or a made-up time.
            Assert.All(points, p => Assert.InRange(p.GetHistogramSum() / p.GetHistogramCount(), 0, elapsed));
        }
    }

    private async Task SendManyAsync(string to)
    {
        for (var i = 0; i < 6; i++)
        {
            (await host.Client.PostAsJsonAsync("otp", new { channel = "sms", to, purpose = "signup" })).Dispose();
        }
    }

    private double Sum(string name, params (string Key, string Value)[] tags) =>
        exported.Where(m => m.Name == name).SelectMany(Points).Where(p => Matches(p, tags)).Sum(p => (double)p.GetSumLong());

    private long HistogramCount(string name) =>
        exported.Where(m => m.Name == name).SelectMany(Points).Sum(p => p.GetHistogramCount());

    private static bool Matches(MetricPoint point, (string Key, string Value)[] tags) =>
        tags.All(tag => Tags(point).Any(t => t.Key == tag.Key && Equals(t.Value, tag.Value)));

    private static List<KeyValuePair<string, object?>> Tags(MetricPoint point)
    {
        var list = new List<KeyValuePair<string, object?>>();
        foreach (var tag in point.Tags)
        {
            list.Add(tag);
        }

        return list;
    }

    private static List<MetricPoint> Points(Metric metric)
    {
        var points = new List<MetricPoint>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            points.Add(point);
        }

        return points;
    }
}

/// <summary>
/// Runs its classes after every parallel one, with no other host alive: a meter is found by name across the process,
/// so another host's deliveries (code in hand has only a channel tag) would land in this exporter too.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAlone
{
    public const string Name = nameof(MeasuredAlone);
}
