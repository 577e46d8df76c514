using System.Net;
using System.Text;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Delivery;

/// <summary><c>POST /api/events/delivery</c> takes only what Event Grid marks as its own with <c>aeg-event-type</c>, and only whole events.</summary>
public sealed class DeliveryEventsHeaderTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private OtpHost Host => fixture.Host;

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("notification")]
    [InlineData("DeadLetter")]
    public async Task IgnoresReportGivenMissingOrOtherEventTypeHeader(string? header)
    {
        var id = await Host.SendAsync(Destinations.Phone());
        await Host.Delivery.WaitForCodeAsync(id);
        await Host.WaitForDeliveryAsync(id, "sent");
        var report = DeliveredReport("msg-" + Assert.Single(Host.Delivery.For(id)).OperationId.ToString("N"));

        using var refused = await PostAsync(report, header);
        var afterRefused = (await Host.StatusAsync(id)).Delivery.Status;
        using var accepted = await PostAsync(report, "Notification");

        await Contract.AssertErrorAsync(refused, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("sent", afterRefused);
        // Positive control: the same report under Event Grid's header is applied.
        await Contract.AssertStatusAsync(accepted, HttpStatusCode.OK);
        Assert.Equal("delivered", (await Host.StatusAsync(id)).Delivery.Status);
    }

    [Fact]
    public async Task AnswersInvalidRequestAndKeepsStatusGivenReportWithoutEventTime()
    {
        var id = await Host.SendAsync(Destinations.Phone());
        await Host.Delivery.WaitForCodeAsync(id);
        await Host.WaitForDeliveryAsync(id, "sent");
        var report = DeliveredReport("msg-" + Assert.Single(Host.Delivery.For(id)).OperationId.ToString("N"))
            .Replace("\"eventTime\":\"2026-11-26T00:00:00Z\",", "", StringComparison.Ordinal);

        using var refused = await PostAsync(report, "Notification");

        var error = await Contract.AssertErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("'eventTime'", error.Message, StringComparison.Ordinal);
        Assert.Equal("sent", (await Host.StatusAsync(id)).Delivery.Status);
    }

    private static string DeliveredReport(string messageId) => $$$"""
        [{"id":"{{{Guid.NewGuid()}}}","topic":"/t","subject":"/phonenumber/x","eventType":"Microsoft.Communication.SMSDeliveryReportReceived",
          "eventTime":"2026-11-26T00:00:00Z","dataVersion":"1.0","metadataVersion":"1",
          "data":{"messageId":"{{{messageId}}}","deliveryStatus":"Delivered","deliveryStatusDetails":"No error."}}]
        """;

    private Task<HttpResponseMessage> PostAsync(string json, string? eventType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "events/delivery") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (eventType is not null)
        {
            request.Headers.TryAddWithoutValidation("aeg-event-type", eventType);
        }

        return Host.Client.SendAsync(request);
    }
}
