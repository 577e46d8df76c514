using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Delivery;

/// <summary>
/// From <c>POST /api/otp</c> to a message received by a fake ACS (which checks every signature) or a
/// real SMTP server on loopback, then verify with the code the user would read.
/// </summary>
public sealed partial class ProviderEndToEndTests : IAsyncLifetime
{
    private readonly FakeAcsServer acs = new();
    private readonly FakeSmtpServer smtp = new();
    private OtpHost acsHost = null!;
    private OtpHost smtpHost = null!;

    public async Task InitializeAsync()
    {
        await acs.StartAsync();
        await smtp.StartAsync();
        acsHost = await OtpHost.StartAsync(acs.SmsAndEmailSettings(), captureDelivery: false);
        smtpHost = await OtpHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Otp:Delivery:Email:Provider"] = "Smtp",
                ["Otp:Delivery:Email:From"] = "otp@example.com",
                ["Otp:Delivery:Email:Smtp:Host"] = "127.0.0.1",
                ["Otp:Delivery:Email:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            captureDelivery: false);
    }

    public async Task DisposeAsync()
    {
        await acsHost.DisposeAsync();
        await smtpHost.DisposeAsync();
        await acs.DisposeAsync();
        await smtp.DisposeAsync();
    }

    [Fact]
    public async Task DeliversSmsThroughAcsAndVerifiesReceivedCode()
    {
        var id = await acsHost.SendAsync(Destinations.Phone());

        var request = await WaitForAsync(() => acs.Requests.FirstOrDefault(r => r.PathAndQuery.StartsWith("/sms", StringComparison.Ordinal) && r.AnsweredStatus == 202));
        var message = request.Json().GetProperty("message").GetString()!;
        using var verify = await acsHost.VerifyAsync(id, Code().Match(message).Value);

        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.Equal("+18005550100", request.Json().GetProperty("from").GetString());
        await acsHost.WaitForDeliveryAsync(id, "sent");
    }

    [Fact]
    public async Task RetriesThrottledSmsThenDelivers()
    {
        acs.RespondWith(FakeAcsResponse.WithStatus(429, TimeSpan.FromSeconds(1)), FakeAcsResponse.Accepted);
        var id = await acsHost.SendAsync(Destinations.Phone());

        await acsHost.WaitForDeliveryAsync(id, "sent", TimeSpan.FromSeconds(40));

        var sms = acs.Requests.Where(r => r.PathAndQuery.StartsWith("/sms", StringComparison.Ordinal)).ToList();
        Assert.Equal([429, 202], sms.TakeLast(2).Select(r => r.AnsweredStatus));
        var repeatability = sms.TakeLast(2).Select(r => r.Json().GetProperty("smsRecipients")[0].GetProperty("repeatabilityRequestId").GetString()).Distinct();
        Assert.Single(repeatability);
    }

    [Fact]
    public async Task RecordsPermanentFailureGivenRejectedNumber()
    {
        acs.RespondWith(FakeAcsResponse.RecipientFailed(400));
        var id = await acsHost.SendAsync(Destinations.Phone());

        var delivery = await acsHost.WaitForDeliveryAsync(id, "failed");

        Assert.False(string.IsNullOrEmpty(delivery.Error));
        Assert.DoesNotContain("+1415", delivery.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapsEmailDeliveryReportOntoChallenge()
    {
        var id = await acsHost.SendAsync(Destinations.Email(), channel: "email");
        var request = await WaitForAsync(() => acs.Requests.FirstOrDefault(r => r.PathAndQuery.StartsWith("/emails:send", StringComparison.Ordinal) && r.AnsweredStatus == 202));
        await acsHost.WaitForDeliveryAsync(id, "sent");
        var report = $$$"""
            [{"id":"{{{Guid.NewGuid()}}}","eventType":"Microsoft.Communication.EmailDeliveryReportReceived","subject":"x","eventTime":"2026-11-25T10:00:00Z","dataVersion":"1.0",
              "data":{"Sender":"DoNotReply@example.com","Recipient":"someone@example.com","MessageId":"{{{request.Header("Operation-Id")}}}","Status":"Delivered","DeliveryStatusDetails":{"StatusMessage":"ok"},"DeliveryAttemptTimeStamp":"2026-11-25T10:00:00Z"}}]
            """;

        using var response = await PostEventAsync(acsHost, report, "Notification");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("delivered", (await acsHost.StatusAsync(id)).Delivery.Status);
    }

    [Fact]
    public async Task AnswersEventGridValidationHandshake()
    {
        const string handshake = """
            [{"id":"1","topic":"t","subject":"","data":{"validationCode":"512d38b6-c7b8-40c8-89fe-f46f9e9622b6","validationUrl":"https://example.invalid"},
              "eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","eventTime":"2026-11-25T10:00:00Z","metadataVersion":"1","dataVersion":"2"}]
            """;

        using var response = await PostEventAsync(acsHost, handshake, "SubscriptionValidation");
        using var withoutHeader = await PostEventAsync(acsHost, handshake, null);
        using var garbage = await PostEventAsync(acsHost, "{not json", "Notification");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("validationResponse").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, withoutHeader.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
    }

    [Fact]
    public async Task DeliversEmailThroughSmtpAndVerifiesReceivedCode()
    {
        var to = Destinations.Email();
        var id = await smtpHost.SendAsync(to, channel: "email");

        var mail = await WaitForAsync(() => smtp.Messages.FirstOrDefault(m => m.To.Mailboxes.Any(box => box.Address == to)));
        var code = Code().Match(mail.TextBody ?? "").Value;
        using var verify = await smtpHost.VerifyAsync(id, code);

        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.Contains(code, mail.HtmlBody, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> PostEventAsync(OtpHost host, string json, string? eventType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "events/delivery") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (eventType is not null)
        {
            request.Headers.Add("aeg-event-type", eventType);
        }

        return host.Client.SendAsync(request);
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe)
        where T : class =>
        (await Eventually.GetAsync(() => Task.FromResult(probe()), value => value is not null, _ => $"no {typeof(T).Name} arrived", TimeSpan.FromSeconds(20)))!;

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex Code();
}
