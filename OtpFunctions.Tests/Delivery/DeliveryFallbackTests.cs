using System.Net;
using System.Net.Http.Json;
using OtpFunctions.Delivery;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Delivery;

/// <summary>
/// A phone send with <c>fallback</c>: when its channel finally fails, the same code goes out on the next one at once,
/// every try visible in <c>delivery.attempts</c>.
/// </summary>
public sealed class DeliveryFallbackTests
{
    private static readonly string[] Sms = ["sms"];
    private static readonly string[] SmsThenVoice = ["sms", "voice"];

    [Fact]
    public async Task SendsTheSameCodeBySmsGivenWhatsAppRefusesIt()
    {
        await using var host = await OtpHost.StartAsync(new Dictionary<string, string?>(PhoneChannelsHostFixture.Settings));
        host.Delivery.Respond = request => request.Channel == Channel.WhatsApp
            ? DeliveryOutcome.Permanent("not a WhatsApp user")
            : DeliveryOutcome.Sent("msg-" + request.OperationId.ToString("N"));

        var id = await SendAsync(host, "whatsapp", Sms);
        var whatsAppCode = await host.Delivery.WaitForCodeAsync(id, nth: 1);
        var smsCode = await host.Delivery.WaitForCodeAsync(id, nth: 2);
        var delivery = await host.WaitForDeliveryAsync(id, "sent");

        Assert.Equal(whatsAppCode, smsCode);
        Assert.Equal([Channel.WhatsApp, Channel.Sms], host.Delivery.For(id).Select(r => r.Channel));
        Assert.NotEqual(host.Delivery.For(id).First().OperationId, host.Delivery.For(id).Last().OperationId);
        Assert.Equal("sms", delivery.Channel);
        Assert.Equal(["whatsapp:failed", "sms:sent"], delivery.Attempts.Select(a => $"{a.Channel}:{a.Status}"));
        Assert.Equal("not a WhatsApp user", delivery.Attempts[0].Error);
        Assert.Equal("whatsapp", (await host.StatusAsync(id)).Channel);
        using var verified = await host.VerifyAsync(id, smsCode);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
    }

    [Fact]
    public async Task FallsBackGivenAFailedWhatsAppReportThenFailsForGoodAfterTheLastChannel()
    {
        await using var host = await OtpHost.StartAsync(new Dictionary<string, string?>(PhoneChannelsHostFixture.Settings));
        var id = await SendAsync(host, "whatsapp", SmsThenVoice);
        await host.Delivery.WaitForCodeAsync(id);
        await host.WaitForDeliveryAsync(id, "sent");

        await ReportAsync(host, host.Delivery.For(id).Single().OperationId, "failed");
        await host.Delivery.WaitForCodeAsync(id, nth: 2);
        await host.WaitForDeliveryAsync(id, "sent");
        host.Delivery.Respond = _ => DeliveryOutcome.Permanent("unreachable");
        await ReportSmsFailedAsync(host, host.Delivery.For(id).Last().OperationId);
        await Eventually.GetAsync(() => Task.FromResult(host.Delivery.For(id).Count()), count => count == 3, count => $"{count} tries");
        var delivery = await host.WaitForDeliveryAsync(id, "failed");

        Assert.Equal([Channel.WhatsApp, Channel.Sms, Channel.Voice], host.Delivery.For(id).Select(r => r.Channel));
        Assert.Equal(["whatsapp:failed", "sms:failed", "voice:failed"], delivery.Attempts.Select(a => $"{a.Channel}:{a.Status}"));
    }

    [Fact]
    public async Task AppliesADeliveredWhatsAppReport()
    {
        await using var host = await OtpHost.StartAsync(new Dictionary<string, string?>(PhoneChannelsHostFixture.Settings));
        var id = await SendAsync(host, "whatsapp", Sms);
        await host.Delivery.WaitForCodeAsync(id);
        await host.WaitForDeliveryAsync(id, "sent");

        await ReportAsync(host, host.Delivery.For(id).Single().OperationId, "read");

        var delivery = await host.WaitForDeliveryAsync(id, "delivered");
        Assert.Equal(["whatsapp:delivered"], delivery.Attempts.Select(a => $"{a.Channel}:{a.Status}"));
        Assert.Single(host.Delivery.For(id));
    }

    internal static async Task<string> SendAsync(OtpHost host, string channel, string[] fallback, string? to = null)
    {
        using var response = await host.Client.PostAsJsonAsync("otp", new { channel, to = to ?? Destinations.Phone(), fallback });
        return (await Contract.ReadAsync<SendAnswer>(response, HttpStatusCode.Accepted)).Id;
    }

    internal static Task ReportAsync(OtpHost host, Guid operationId, string status) => PostEventAsync(
        host,
        $$$"""
        [{"id":"r1","topic":"/x","subject":"advancedMessage/sockId/x","eventType":"Microsoft.Communication.AdvancedMessageDeliveryStatusUpdated",
          "data":{"messageId":"msg-{{{operationId:N}}}","status":"{{{status}}}","channelType":"whatsapp","from":"x","to":"y","receivedTimestamp":"2026-11-25T10:00:00Z",
                  "error":{"channelCode":"131026","channelMessage":"Message undeliverable to +14155550100"}},
          "eventTime":"2026-11-25T10:00:00Z","dataVersion":"1.0","metadataVersion":"1"}]
        """);

    private static Task ReportSmsFailedAsync(OtpHost host, Guid operationId) => PostEventAsync(
        host,
        $$"""
        [{"id":"r2","topic":"/x","subject":"/phonenumber/x","eventType":"Microsoft.Communication.SMSDeliveryReportReceived",
          "data":{"MessageId":"msg-{{operationId:N}}","DeliveryStatus":"Failed","DeliveryStatusDetails":"Unreachable"},
          "eventTime":"2026-11-25T10:00:00Z","dataVersion":"1.0","metadataVersion":"1"}]
        """);

    private static async Task PostEventAsync(OtpHost host, string body)
    {
        using var report = new HttpRequestMessage(HttpMethod.Post, "events/delivery") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        report.Headers.Add("aeg-event-type", "Notification");
        using var answer = await host.Client.SendAsync(report);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }
}
