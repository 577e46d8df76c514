using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Callers;

/// <summary>
/// API keys for backends: only hashes configured, several per caller to rotate, purposes per caller, a
/// budget per caller instead of per address, the caller's name in metrics; anonymous callers keep to
/// <c>Otp:AllowedPurposes</c>.
/// </summary>
public sealed class ServerCallerTests : IAsyncLifetime
{
    private const string OldKey = "backend-key-old-7c1f4f0b2e";
    private const string NewKey = "backend-key-new-93ad0c51aa";
    private const string BillingKey = "billing-key-5e2b7d18c4";
    private const string LimitedKeyA = "limited-key-a-41c09e7d";
    private const string LimitedKeyB = "limited-key-b-f2a86b30";
    private readonly List<Metric> exported = [];
    private OtpHost host = null!;

    public static string Sha256Hex(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    // The clock stands still: budget windows are aligned to the hour, and one ending mid-test would refill the budget.
    public async Task InitializeAsync() => host = await OtpHost.StartAsync(
        new Dictionary<string, string?>
        {
            // The default: anonymous callers may only log in.
            ["Otp:AllowedPurposes"] = null,
            ["Otp:MaxSendsPerIp"] = "2",
            ["Otp:ApiKeys:backend:Sha256"] = $"{Sha256Hex(OldKey)}, {Sha256Hex(NewKey)}",
            ["Otp:ApiKeys:limited:Sha256"] = $"{Sha256Hex(LimitedKeyA)},{Sha256Hex(LimitedKeyB)}",
            ["Otp:ApiKeys:limited:MaxSends"] = "4",
            ["Otp:ApiKeys:billing:Sha256"] = Sha256Hex(BillingKey),
            ["Otp:ApiKeys:billing:Purposes"] = "payment,refund",
        },
        fakeClock: true,
        services: services => services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(exported)));

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task AcceptsEveryKeyOfARotationAndRejectsUnknownKeyWithUnauthorized()
    {
        using var old = await SendAsync(OldKey, "signup");
        using var fresh = await SendAsync(NewKey, "signup");
        using var unknown = await SendAsync("backend-key-guessed-000000", "login");
        using var empty = await SendAsync("", "login");

        Assert.Equal(HttpStatusCode.Accepted, old.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, fresh.StatusCode);
        await Contract.AssertErrorAsync(unknown, HttpStatusCode.Unauthorized, "unauthorized");
        await Contract.AssertErrorAsync(empty, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task LimitsAnonymousCallersToAllowedPurposes()
    {
        using var login = await SendAsync(null, "login");
        using var other = await SendAsync(null, "signup");

        Assert.Equal(HttpStatusCode.Accepted, login.StatusCode);
        var error = await Contract.AssertErrorAsync(other, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("Otp:AllowedPurposes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LimitsServerCallerToItsOwnPurposes()
    {
        using var allowed = await SendAsync(BillingKey, "refund");
        using var refused = await SendAsync(BillingKey, "login");
        using var anyPurpose = await SendAsync(NewKey, "delete_account");

        Assert.Equal(HttpStatusCode.Accepted, allowed.StatusCode);
        var error = await Contract.AssertErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("Otp:ApiKeys:billing:Purposes", error.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, anyPurpose.StatusCode);
    }

    [Fact]
    public async Task SpendsTheCallersOwnBudgetInsteadOfItsAddresss()
    {
        var ip = Destinations.Ip();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await SendAsync(BillingKey, "payment", ip);
            statuses.Add(response.StatusCode);
        }

        using var anonymousFromSameAddress = await SendAsync(null, "login", ip);

        // billing's own budget is the default (1000): five sends from one address are fine for a backend.
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.Accepted, status));
        Assert.Equal(HttpStatusCode.Accepted, anonymousFromSameAddress.StatusCode);
    }

    [Fact]
    public async Task RefusesServerCallerPastItsMaxSends()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await SendAsync(i % 2 == 0 ? LimitedKeyA : LimitedKeyB, "login", Destinations.Ip());
            statuses.Add(response.StatusCode);
        }

        // Keys of one caller share its budget (4 per window); addresses do not matter.
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, (HttpStatusCode)429], statuses);
    }

    [Fact]
    public async Task NamesTheCallerInSendMetrics()
    {
        using var server = await SendAsync(BillingKey, "payment");
        using var anonymous = await SendAsync(null, "login");
        Assert.Equal(HttpStatusCode.Accepted, server.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, anonymous.StatusCode);

        host.Services.GetRequiredService<MeterProvider>().ForceFlush();

        Assert.True(SentBy("billing") >= 1);
        Assert.True(SentBy("anonymous") >= 1);
    }

    private long SentBy(string caller)
    {
        long total = 0;
        foreach (var metric in exported.Where(m => m.Name == "otp.codes.sent"))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                foreach (var tag in point.Tags)
                {
                    if (tag.Key == "caller" && Equals(tag.Value, caller))
                    {
                        total += point.GetSumLong();
                    }
                }
            }
        }

        return total;
    }

    private Task<HttpResponseMessage> SendAsync(string? apiKey, string purpose, string? clientIp = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "otp") { Content = JsonContent.Create(new { channel = "sms", to = Destinations.Phone(), purpose }) };
        if (apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Api-Key", apiKey);
        }

        request.Headers.Add("X-Forwarded-For", clientIp ?? Destinations.Ip());
        return host.Client.SendAsync(request);
    }
}
