using System.Net;
using System.Net.Http.Json;
using OtpFunctions.Tests.Callers;
using OtpFunctions.Tests.Support;
using static OtpFunctions.Tests.Delivery.DeliveryFallbackTests;

namespace OtpFunctions.Tests.Sending;

/// <summary>
/// A fallback try is another message to the number: a prefix the fraud guard blocked since the send gets none, and
/// the try spends the phone budgets from the anonymous share only, so failing-over floods never reach the part kept
/// for server callers.
/// </summary>
public sealed class FallbackBudgetTests
{
    private const string ServerKey = "fallback-budget-tests-server-key-0123456789";
    private const string Pumped = "+234806";
    private static readonly string[] Sms = ["sms"];

    [Fact]
    public async Task SendsNoFurtherTryGivenThePrefixBlockedSinceTheSend()
    {
        await using var host = await OtpHost.StartAsync(
            new Dictionary<string, string?>(PhoneChannelsHostFixture.Settings) { ["Otp:FraudGuard:MinSends"] = "5" }, fakeClock: true);
        var id = await SendAsync(host, "whatsapp", Sms, PhoneRanges.Nigeria(Pumped));
        await host.Delivery.WaitForCodeAsync(id);
        await host.WaitForDeliveryAsync(id, "sent");
        for (var i = 0; i < 4; i++)
        {
            await host.SendAsync(PhoneRanges.Nigeria(Pumped));
        }

        host.Clock!.Advance(TimeSpan.FromMinutes(8));
        using (var refused = await host.Client.PostAsJsonAsync("otp", new { channel = "sms", to = PhoneRanges.Nigeria(Pumped) }))
        {
            await Contract.AssertErrorAsync(refused, (HttpStatusCode)429, "rate_limited");
        }

        await ReportAsync(host, host.Delivery.For(id).Single().OperationId, "failed");

        var delivery = (await host.StatusAsync(id)).Delivery;
        Assert.Equal("failed", delivery.Status);
        Assert.Equal(["whatsapp:failed"], delivery.Attempts.Select(a => $"{a.Channel}:{a.Status}"));
        Assert.Equal([Channel.WhatsApp], host.Delivery.For(id).Select(r => r.Channel));
    }

    [Fact]
    public async Task LeavesTheServerCallersShareGivenAnAnonymousSendFailingOver()
    {
        // The clock stands still: budget windows are aligned to the hour, and one ending mid-test would refill the budget.
        await using var host = await OtpHost.StartAsync(new Dictionary<string, string?>(PhoneChannelsHostFixture.Settings)
        {
            ["Otp:MaxSendsGlobal"] = "5",
            ["Otp:AnonymousShare"] = "0.8",
            ["Otp:ApiKeys:backend:Sha256"] = ServerCallerTests.Sha256Hex(ServerKey),
        }, fakeClock: true);
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await SendAsync(host, "whatsapp", Sms));
        }

        await host.Delivery.WaitForCodeAsync(ids[0]);
        await host.WaitForDeliveryAsync(ids[0], "sent");
        await ReportAsync(host, host.Delivery.For(ids[0]).Single().OperationId, "failed");

        var delivery = (await host.StatusAsync(ids[0])).Delivery;
        Assert.Equal(["whatsapp:failed"], delivery.Attempts.Select(a => $"{a.Channel}:{a.Status}"));
        using var keyed = new HttpRequestMessage(HttpMethod.Post, "otp") { Content = JsonContent.Create(new { channel = "sms", to = Destinations.Phone() }) };
        keyed.Headers.Add("X-Api-Key", ServerKey);
        using var answer = await host.Client.SendAsync(keyed);
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
    }
}
