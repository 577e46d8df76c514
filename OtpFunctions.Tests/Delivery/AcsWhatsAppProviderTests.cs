using System.Net;
using System.Net.Http.Json;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Delivery;

/// <summary>
/// WhatsApp through a fake ACS Advanced Messaging endpoint that checks the HMAC signature and the template message's
/// shape (stable 2024-08-30), then verify with the code the user would read; SMS takes over when WhatsApp refuses.
/// </summary>
public sealed class AcsWhatsAppProviderTests : IAsyncLifetime
{
    private static readonly string[] Sms = ["sms"];
    private readonly string channelRegistrationId = Guid.NewGuid().ToString("D");
    private AcsDeliveryHost acsHost = null!;

    private FakeAcsServer Acs => acsHost.Acs;

    private OtpHost Host => acsHost.Host;

    public async Task InitializeAsync() => acsHost = await AcsDeliveryHost.StartAsync(fake => new Dictionary<string, string?>
    {
        ["Otp:Delivery:WhatsApp:Provider"] = "Acs",
        ["Otp:Delivery:WhatsApp:ConnectionString"] = fake.ConnectionString,
        ["Otp:Delivery:WhatsApp:ChannelRegistrationId"] = channelRegistrationId,
        ["Otp:Delivery:WhatsApp:TemplateName"] = "otp_login",
    });

    public async Task DisposeAsync() => await acsHost.DisposeAsync();

    [Fact]
    public async Task SendsTheApprovedTemplateWithTheCodeBoundToBodyAndButton()
    {
        var to = Destinations.Phone();
        using var send = await Host.Client.PostAsJsonAsync("otp", new { channel = "whatsapp", to, locale = "es-MX" });
        var id = (await Contract.ReadAsync<SendAnswer>(send, HttpStatusCode.Accepted)).Id;

        var request = await acsHost.WaitForRequestAsync(r => r.PathAndQuery.StartsWith("/messages/", StringComparison.Ordinal));
        Assert.Null(request.Rejection);
        var body = request.Json();
        var template = body.GetProperty("template");
        var code = template.GetProperty("values")[0].GetProperty("text").GetString()!;
        using var verify = await Host.VerifyAsync(id, code);

        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.Equal(channelRegistrationId, body.GetProperty("channelRegistrationId").GetString());
        Assert.Equal(to, body.GetProperty("to")[0].GetString());
        Assert.Equal(("otp_login", "es"), (template.GetProperty("name").GetString(), template.GetProperty("language").GetString()));
        Assert.Equal("url", template.GetProperty("bindings").GetProperty("buttons")[0].GetProperty("subType").GetString());
        Assert.True(Guid.TryParse(request.Header("Repeatability-Request-ID"), out _));
        // Recorded once ACS has answered, which may come after the request was seen: waited for, not read once.
        await Host.WaitForDeliveryAsync(id, "sent");
    }

    [Fact]
    public async Task FallsBackToSmsGivenAcsRefusesTheWhatsAppMessage()
    {
        Acs.RespondWith(FakeAcsResponse.WithStatus(400));
        using var send = await Host.Client.PostAsJsonAsync("otp", new { channel = "whatsapp", to = Destinations.Phone(), fallback = Sms });
        var id = (await Contract.ReadAsync<SendAnswer>(send, HttpStatusCode.Accepted)).Id;

        var delivery = await Host.WaitForDeliveryAsync(id, "sent");

        Assert.Equal(["whatsapp:failed", "sms:sent"], delivery.Attempts.Select(a => $"{a.Channel}:{a.Status}"));
        Assert.Contains(Acs.Requests, r => r.PathAndQuery.StartsWith("/sms", StringComparison.Ordinal) && r.AnsweredStatus == 202);
    }
}
