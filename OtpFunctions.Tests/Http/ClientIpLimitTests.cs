using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Security;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Http;

public sealed class ClientIpLimitTests : IAsyncLifetime
{
    private OtpHost host = null!;

    // The IP budget's windows are aligned to the hour: on a running clock an hour could end between the sends that
    // fill it and the one expected to be refused. The host's clock stands still instead.
    public async Task InitializeAsync() => host = await OtpHost.StartAsync(new Dictionary<string, string?> { ["Otp:MaxSendsPerIp"] = "3" }, fakeClock: true);

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task ReturnsRateLimitedAfterMaxSendsFromOneAddress()
    {
        var ip = Destinations.Ip();
        for (var i = 0; i < 3; i++)
        {
            await host.SendAsync(Destinations.Phone(), clientIp: ip);
        }

        using var refused = await SendFromAsync(ip);
        using var otherAddress = await SendFromAsync(Destinations.Ip());

        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        // Windows are aligned to the clock (the hour, by default): the wait ends at the next boundary.
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(3600 - (host.Clock!.GetUtcNow().ToUnixTimeSeconds() % 3600), retryAfter);
        Assert.Equal(HttpStatusCode.Accepted, otherAddress.StatusCode);
    }

    [Fact]
    public async Task CountsEveryAcceptedSendGivenConcurrentSendsFromOneAddress()
    {
        // The budget is checked beside the destination's read and counted beside its transaction: racing sends
        // may all pass one check, but none may go uncounted, and the address is refused once the count is reached.
        var ip = Destinations.Ip();
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => SendFromAsync(ip)));
        var accepted = responses.Count(response => response.StatusCode == HttpStatusCode.Accepted);
        Assert.All(responses, response => Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Accepted, (HttpStatusCode)429 }));
        foreach (var response in responses)
        {
            response.Dispose();
        }

        var partition = "ip-" + host.Services.GetRequiredService<OtpHasher>().IpKey(ip);
        var counted = 0;
        await foreach (var shard in host.Storage.Table.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == partition))
        {
            counted += shard.GetInt32("Count") ?? 0;
        }

        using var after = await SendFromAsync(ip);

        Assert.InRange(accepted, 3, 12);
        Assert.Equal(accepted, counted);
        Assert.Equal((HttpStatusCode)429, after.StatusCode);
    }

    [Fact]
    public async Task BelievesOnlyTheHopAddedByTrustedProxy()
    {
        var ip = Destinations.Ip();
        for (var i = 0; i < 3; i++)
        {
            // A client cannot escape its limit by prepending made-up addresses.
            await host.SendAsync(Destinations.Phone(), clientIp: $"198.51.100.{i + 1}, {ip}");
        }

        using var refused = await SendFromAsync($"192.0.2.77, {ip}");

        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
    }

    [Fact]
    public async Task CountsAnIpv6SubscriberAsItsSlash64()
    {
        var prefix = $"2001:db8:{Random.Shared.Next(0xffff):x}:{Random.Shared.Next(0xffff):x}";
        for (var i = 1; i <= 3; i++)
        {
            await host.SendAsync(Destinations.Phone(), clientIp: $"{prefix}::{i}");
        }

        using var sameSubnet = await SendFromAsync($"{prefix}:abcd:ef01:2345:6789");
        using var otherSubnet = await SendFromAsync($"2001:db8:{Random.Shared.Next(0xffff):x}:1::1");

        Assert.Equal((HttpStatusCode)429, sameSubnet.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, otherSubnet.StatusCode);
    }

    [Fact]
    public async Task ReadsAddressWithPortAddedByAGateway()
    {
        var ip = Destinations.Ip();
        for (var i = 0; i < 3; i++)
        {
            await host.SendAsync(Destinations.Phone(), clientIp: $"{ip}:{50000 + i}");
        }

        using var refused = await SendFromAsync(ip);

        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
    }

    private Task<HttpResponseMessage> SendFromAsync(string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "otp") { Content = JsonContent.Create(new { channel = "sms", to = Destinations.Phone() }) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return host.Client.SendAsync(request);
    }
}
