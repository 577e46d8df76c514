using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Fraud;
using OtpFunctions.Tests.Support;
using Xunit.Abstractions;

namespace OtpFunctions.Tests.Fraud;

/// <summary>
/// The fraud guard as attacks and real traffic look, on a clock the test moves: a pumped range is blocked after its
/// unverified sends are judged while real users elsewhere go on; real users who verify are never blocked, however
/// many; Monitor mode only reports; exempt ranges are not even counted.
/// </summary>
public sealed class FraudGuardTests(ITestOutputHelper output)
{
    private const string Pumped = "+234803";
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task BlocksAPumpedPrefixWhileVerifyingUsersElsewhereGoOn()
    {
        await using var hooks = await WebhookReceiver.StartAsync();
        await using var host = await OtpHost.StartAsync(WithWebhook(hooks), fakeClock: true);
        using var meter = new FraudBlockMeter(host);

        // One pumped number every 10 s, and two real users a step (another range of the same operator, and the US) who verify.
        var (accepted, legitRefused) = (0, 0);
        HttpResponseMessage? refused = null;
        for (var step = 0; step < 120 && refused is null; step++)
        {
            var pump = await SendAsync(host, PhoneRanges.Nigeria(Pumped));
            (accepted, refused) = pump.StatusCode == HttpStatusCode.Accepted ? (accepted + 1, null) : (accepted, pump);
            legitRefused += await RealUsersAsync(host, [Destinations.Phone(), PhoneRanges.Nigeria("+234805")]);
            host.Clock!.Advance(Step);
        }

        output.WriteLine($"sends to the pumped prefix before the block: {accepted}; real users refused: {legitRefused}");
        Assert.NotNull(refused);
        var error = await Contract.AssertErrorAsync(refused, (HttpStatusCode)429, "rate_limited");
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 3590, 3600);
        Assert.InRange(error.RetryAfter!.Value, 3590, 3600);

        // Twenty judged sends, plus what was sent while they waited out Grace (5 min and up to a 130 s bucket, at 6 a minute).
        Assert.InRange(accepted, 20, 20 + 6 * 8);
        Assert.Equal(0, legitRefused);
        Assert.Equal((HttpStatusCode)429, (await SendAsync(host, PhoneRanges.Nigeria(Pumped))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(host, PhoneRanges.Nigeria("+234805"))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(host, Destinations.Email(), "email")).StatusCode);

        var hook = Assert.Single(await hooks.WaitForAsync(1));
        var data = JsonDocument.Parse(hook.Body).RootElement.GetProperty("data");
        Assert.Equal("fraud.prefix_blocked", JsonDocument.Parse(hook.Body).RootElement.GetProperty("type").GetString());
        Assert.Equal(Pumped, data.GetProperty("prefix").GetString());
        Assert.InRange(data.GetProperty("sends").GetInt32(), 20, accepted);
        Assert.Equal(0, data.GetProperty("verified").GetInt32());
        Assert.InRange(data.GetProperty("blockedUntil").GetDateTimeOffset(), host.Clock!.GetUtcNow().AddMinutes(58), host.Clock.GetUtcNow().AddMinutes(61));
        Assert.Equal(1, meter.Count("block"));

        var listed = await ListAsync(host);
        Assert.Equal(Pumped, Assert.Single(listed).GetProperty("prefix").GetString());
        // Every event published so far posted or given up on, rather than a fixed wait: a second report must not be among them.
        await host.SettleWebhooksAsync();
        Assert.Single(hooks.Requests);
    }

    [Fact]
    public async Task NeverBlocksABurstOfRealUsersInOnePrefixWhoVerify()
    {
        await using var host = await OtpHost.StartAsync(new Dictionary<string, string?> { ["Otp:ResendCooldown"] = "00:00:00" }, fakeClock: true);

        // A flash sale: 120 users in one range within two minutes; one in four asks for a second code before verifying.
        var (users, resends, refused) = (0, 0, 0);
        for (var step = 0; step < 12; step++)
        {
            var batch = Enumerable.Range(0, 10).Select(_ => PhoneRanges.Nigeria(Pumped)).ToList();
            refused += await RealUsersAsync(host, batch, resendEvery: 4);
            users += batch.Count;
            resends += (batch.Count + 3) / 4;
            host.Clock!.Advance(Step);
        }

        await WaitForVerifiedAsync(host, Pumped, users);
        host.Clock!.Advance(TimeSpan.FromMinutes(8));
        var judged = Judged(host, await host.Services.GetRequiredService<PrefixStore>().ReadAsync(Pumped, CancellationToken.None));

        // Then the rest of the hour and beyond: a few users every five minutes while the burst is judged again and again.
        for (var step = 0; step < 14; step++)
        {
            refused += await RealUsersAsync(host, [PhoneRanges.Nigeria(Pumped), PhoneRanges.Nigeria(Pumped), PhoneRanges.Nigeria(Pumped)], resendEvery: 3);
            host.Clock.Advance(TimeSpan.FromMinutes(5));
        }

        output.WriteLine($"burst: {users} users, judged {judged.Sends} sends with {judged.Verified} verified; false blocks: {refused}");
        Assert.Equal(users + resends, judged.Sends);
        Assert.Equal(users, judged.Verified);
        Assert.Equal(0, refused);
        Assert.Empty(await ListAsync(host));
    }

    [Fact]
    public async Task OnlyReportsGivenMonitorMode()
    {
        await using var hooks = await WebhookReceiver.StartAsync();
        var settings = WithWebhook(hooks);
        settings["Otp:FraudGuard:Mode"] = "Monitor";
        settings["Otp:FraudGuard:MinSends"] = "5";
        await using var host = await OtpHost.StartAsync(settings, fakeClock: true);
        using var meter = new FraudBlockMeter(host);

        var refused = 0;
        for (var step = 0; step < 60; step++)
        {
            refused += (await SendAsync(host, PhoneRanges.Nigeria(Pumped))).StatusCode == HttpStatusCode.Accepted ? 0 : 1;
            host.Clock!.Advance(Step);
        }

        Assert.Equal(0, refused);
        var hook = Assert.Single(await hooks.WaitForAsync(1));
        var data = JsonDocument.Parse(hook.Body).RootElement.GetProperty("data");
        Assert.Equal(Pumped, data.GetProperty("prefix").GetString());
        Assert.Equal("monitor", data.GetProperty("mode").GetString());
        Assert.Equal(1, meter.Count("monitor"));
        Assert.Equal(0, meter.Count("block"));
        Assert.Empty(await ListAsync(host));
    }

    [Fact]
    public async Task NeitherCountsNorBlocksAnExemptPrefix()
    {
        await using var host = await OtpHost.StartAsync(new Dictionary<string, string?> { ["Otp:FraudGuard:ExemptPrefixes"] = "+1,+2348", ["Otp:FraudGuard:MinSends"] = "5" }, fakeClock: true);

        for (var step = 0; step < 60; step++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(host, PhoneRanges.Nigeria(Pumped))).StatusCode);
            host.Clock!.Advance(Step);
        }

        var read = await host.Services.GetRequiredService<PrefixStore>().ReadAsync(Pumped, CancellationToken.None);
        Assert.Empty(read.Rows);
    }

    internal static Dictionary<string, string?> WithWebhook(WebhookReceiver hooks) => new()
    {
        ["Otp:Webhooks:ops:Url"] = hooks.Url,
        ["Otp:Webhooks:ops:Secret"] = "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["Otp:Webhooks:ops:Events"] = "fraud.prefix_blocked",
    };

    internal static async Task<HttpResponseMessage> SendAsync(OtpHost host, string to, string channel = "sms")
    {
        var response = await host.Client.PostAsJsonAsync("otp", new { channel, to });
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    internal static async Task<List<JsonElement>> ListAsync(OtpHost host)
    {
        using var response = await host.Client.GetAsync("fraud/blocks");
        return (await Contract.AssertStatusAsync(response, HttpStatusCode.OK)).GetProperty("blocks").EnumerateArray().ToList();
    }

    /// <summary>Waits until the prefix's verifications, counted off the request path, add up to <paramref name="verified"/>.</summary>
    internal static Task WaitForVerifiedAsync(OtpHost host, string prefix, int verified) =>
        Eventually.GetAsync(
            async () => (await host.Services.GetRequiredService<PrefixStore>().ReadAsync(prefix, CancellationToken.None)).State.Buckets.Sum(bucket => bucket.Verified),
            counted => counted >= verified,
            counted => $"{counted} of {verified} verifications counted");

    /// <summary>Real users: each sends, reads the code (every <paramref name="resendEvery"/>-th asks for a second one) and verifies. Returns how many were refused.</summary>
    private static async Task<int> RealUsersAsync(OtpHost host, IEnumerable<string> numbers, int resendEvery = 0)
    {
        var outcomes = await Task.WhenAll(numbers.Select(async (number, i) =>
        {
            using var sent = await SendAsync(host, number);
            if (sent.StatusCode != HttpStatusCode.Accepted)
            {
                return 1;
            }

            var id = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            var code = await host.Delivery.WaitForCodeAsync(id);
            if (resendEvery > 0 && i % resendEvery == 0)
            {
                using var resent = await host.ResendAsync(id);
                if (resent.StatusCode != HttpStatusCode.Accepted)
                {
                    return 1;
                }

                code = await host.Delivery.WaitForCodeAsync(id, nth: 2);
            }

            await host.ApproveAsync(id, code);
            return 0;
        }));
        return outcomes.Sum();
    }

    private static (int Sends, int Verified) Judged(OtpHost host, PrefixRead read) =>
        host.Services.GetRequiredService<FraudRule>().Judged(read.State, host.Clock!.GetUtcNow());
}
