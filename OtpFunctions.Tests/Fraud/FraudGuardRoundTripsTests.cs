using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Fraud;
using OtpFunctions.Tests.Support;
using Xunit.Abstractions;
using static OtpFunctions.Tests.Fraud.FraudGuardTests;

namespace OtpFunctions.Tests.Fraud;

/// <summary>
/// The guard costs no round trip in sequence: a send still waits for at most three storage round trips (the prefix is
/// read beside the first reads and counted beside the transaction), even the send that blocks a prefix, and a verify
/// for two (its count is written after the answer). Each storage request is held 60 ms, so parallel ones overlap.
/// </summary>
public sealed class FraudGuardRoundTripsTests(ITestOutputHelper output)
{
    private const string Prefix = "+234803";

    [Fact]
    public async Task SendsWithinThreeRoundTripsWhateverThePrefixsState()
    {
        var trips = new StorageRoundTrips();
        await using var host = await OtpHost.StartAsync(
            new Dictionary<string, string?> { ["Otp:FraudGuard:MinSends"] = "3" },
            fakeClock: true,
            listenToQueue: false,
            services: services => services.AddSingleton<HttpPipelinePolicy>(trips));

        // A send elsewhere first: a cold process compiles as it goes, and a late start would look like a round trip.
        await host.SendAsync(Destinations.Phone());
        var depths = new List<(string Case, HttpStatusCode Status, int Depth)>();
        foreach (var (name, advance) in new[] { ("first send to the prefix", false), ("second send", false), ("third send", false), ("send that blocks it", true), ("send to the blocked prefix", false) })
        {
            if (advance)
            {
                host.Clock!.Advance(TimeSpan.FromMinutes(8));
            }

            trips.Arm(_ => true);
            using var response = await SendAsync(host, PhoneRanges.Nigeria(Prefix));
            trips.Disarm();
            depths.Add((name, response.StatusCode, trips.SequentialDepth()));
            output.WriteLine($"{name}: {(int)response.StatusCode}, {trips.SequentialDepth()} in sequence: {string.Join("; ", trips.Calls)}");
            Assert.Contains(trips.Calls, call => call.Text.Contains("fg+234803", StringComparison.Ordinal));
        }

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, (HttpStatusCode)429, (HttpStatusCode)429], depths.Select(d => d.Status));
        Assert.All(depths, d => Assert.InRange(d.Depth, 1, 3));
        Assert.Equal(3, depths[0].Depth);
    }

    [Fact]
    public async Task VerifiesWithinTwoRoundTripsAndCountsTheVerificationAfter()
    {
        var trips = new StorageRoundTrips();
        await using var host = await OtpHost.StartAsync(services: services => services.AddSingleton<HttpPipelinePolicy>(trips));
        var id = await host.SendAsync(PhoneRanges.Nigeria(Prefix));
        var code = await host.Delivery.WaitForCodeAsync(id);
        await host.WaitForQueueDrainedAsync();

        // The queue listener's polls and the tally's own writes are not the verify's.
        trips.Arm(text => !text.Contains("/messages", StringComparison.Ordinal) && !text.Contains("fg+", StringComparison.Ordinal));
        await host.ApproveAsync(id, code);
        trips.Disarm();

        output.WriteLine($"verify: {trips.SequentialDepth()} in sequence: {string.Join("; ", trips.Calls)}");
        Assert.Equal(2, trips.SequentialDepth());
        await WaitForVerifiedAsync(host, Prefix, 1);
    }

    [Fact]
    public async Task ReadsThePrefixBesideTheBudgetsOnAResend()
    {
        var trips = new StorageRoundTrips();
        await using var host = await OtpHost.StartAsync(
            new Dictionary<string, string?> { ["Otp:ResendCooldown"] = "00:00:00" },
            listenToQueue: false,
            services: services => services.AddSingleton<HttpPipelinePolicy>(trips));
        var id = await host.SendAsync(PhoneRanges.Nigeria(Prefix));

        trips.Arm(_ => true);
        using var resent = await host.ResendAsync(id);
        trips.Disarm();

        output.WriteLine($"resend: {trips.SequentialDepth()} in sequence: {string.Join("; ", trips.Calls)}");
        Assert.Equal(HttpStatusCode.Accepted, resent.StatusCode);
        Assert.Contains(trips.Calls, call => call.Text.Contains("fg+234803", StringComparison.Ordinal));
        Assert.Equal(4, trips.SequentialDepth());
        Assert.Equal(2, (await host.Services.GetRequiredService<PrefixStore>().ReadAsync(Prefix, CancellationToken.None)).State.Buckets.Sum(bucket => bucket.Sends));
    }
}
