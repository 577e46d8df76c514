using OtpFunctions.Delivery.Events;

namespace OtpFunctions.Tests.Delivery;

public sealed class DeliveryReportParserTests
{
    [Fact]
    public void ReturnsValidationCodeGivenHandshake()
    {
        const string body = """
            [{"id":"2d1781af","topic":"/subscriptions/x","subject":"","eventType":"Microsoft.EventGrid.SubscriptionValidationEvent",
              "eventTime":"2026-11-25T10:00:00Z","dataVersion":"1","metadataVersion":"1",
              "data":{"validationCode":"512d38b6-c7b8-40c8-89fe-f46f9e9622b6","validationUrl":"https://rp.example/validate"}}]
            """;

        var batch = DeliveryReportParser.Parse(body);

        Assert.True(batch.IsValidationHandshake);
        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", batch.ValidationCode);
        Assert.Empty(batch.Reports);
        Assert.Equal("""{"validationResponse":"512d38b6-c7b8-40c8-89fe-f46f9e9622b6"}""", DeliveryReportParser.ValidationResponse(batch.ValidationCode!));
    }

    [Fact]
    public void ReturnsDeliveredGivenPascalCaseSmsReport()
    {
        const string body = """
            [{"id":"1","topic":"/x","subject":"/phonenumber/15555555555","eventType":"Microsoft.Communication.SMSDeliveryReportReceived",
              "data":{"MessageId":"Outgoing_20200707_abc","From":"15555555555","To":"+15555555555","DeliveryStatus":"Delivered",
                      "DeliveryStatusDetails":"No error.","ReceivedTimestamp":"2020-07-07T00:00:00Z","DeliveryAttempts":[{"Timestamp":"2020-07-07T00:00:00Z","SegmentsSucceeded":1,"SegmentsFailed":0}]},
              "eventTime":"2020-07-07T00:00:00Z","dataVersion":"1.0","metadataVersion":"1"}]
            """;

        var report = Assert.Single(DeliveryReportParser.Parse(body).Reports);

        Assert.Equal(new DeliveryReport("Outgoing_20200707_abc", DeliveryReportStatus.Delivered, null), report);
    }

    [Fact]
    public void ReturnsFailedWithMaskedReasonGivenCamelCaseSmsReport()
    {
        const string body = """
            [{"id":"e","subject":"s","eventTime":"2026-11-25T10:00:00Z","dataVersion":"1.0","eventType":"Microsoft.Communication.SMSDeliveryReportReceived",
              "data":{"messageId":"Outgoing_1","from":"+18005550199","to":"+14155550100","deliveryStatus":"Failed",
                      "deliveryStatusDetails":"Number +14155550100 unreachable"}}]
            """;

        var report = Assert.Single(DeliveryReportParser.Parse(body).Reports);

        Assert.Equal(DeliveryReportStatus.Failed, report.Status);
        Assert.Equal("Failed: Number *** unreachable", report.Reason);
    }

    [Fact]
    public void ReturnsDeliveredGivenCamelCaseEmailReport()
    {
        const string body = """
            [{"id":"00000000-0000-0000-0000-000000000000","topic":"/x","subject":"sender/DoNotReply@contoso.example/message/op-1",
              "data":{"sender":"DoNotReply@contoso.example","recipient":"ada@example.com","messageId":"op-1","status":"Delivered",
                      "deliveryStatusDetails":{"statusMessage":"No error."},"deliveryAttemptTimeStamp":"2026-11-25T10:00:00Z"},
              "eventType":"Microsoft.Communication.EmailDeliveryReportReceived","dataVersion":"1.0","metadataVersion":"1","eventTime":"2026-11-25T10:00:00Z"}]
            """;

        Assert.Equal(new DeliveryReport("op-1", DeliveryReportStatus.Delivered, null), Assert.Single(DeliveryReportParser.Parse(body).Reports));
    }

    [Fact]
    public void ReturnsFailedWithoutAddressGivenPascalCaseQuarantinedEmail()
    {
        const string body = """
            [{"id":"e","subject":"s","eventTime":"2026-11-25T10:00:00Z","dataVersion":"1.0","eventType":"Microsoft.Communication.EmailDeliveryReportReceived",
              "data":{"Sender":"DoNotReply@contoso.example","Recipient":"ada@example.com","MessageId":"op-2","Status":"Quarantined",
                      "DeliveryStatusDetails":{"StatusMessage":"Mailbox ada@example.com quarantined the message"}}}]
            """;

        var report = Assert.Single(DeliveryReportParser.Parse(body).Reports);

        Assert.Equal(DeliveryReportStatus.Failed, report.Status);
        Assert.Equal("Quarantined: Mailbox *** quarantined the message", report.Reason);
    }

    [Fact]
    public void SkipsIntermediateAndUnknownEventsGivenMixedBatch()
    {
        const string body = """
            [{"id":"e","subject":"s","eventTime":"2026-11-25T10:00:00Z","dataVersion":"1.0","eventType":"Microsoft.Communication.EmailDeliveryReportReceived","data":{"messageId":"op-3","status":"Expanded"}},
             {"id":"e","subject":"s","eventTime":"2026-11-25T10:00:00Z","dataVersion":"1.0","eventType":"Microsoft.Storage.BlobCreated","data":{"url":"x"}},
             {"id":"e","subject":"s","eventTime":"2026-11-25T10:00:00Z","dataVersion":"1.0","eventType":"Microsoft.Communication.SMSDeliveryReportReceived","data":{"MessageId":"sms-4","DeliveryStatus":"Delivered"}}]
            """;

        var report = Assert.Single(DeliveryReportParser.Parse(body).Reports);

        Assert.Equal("sms-4", report.ProviderMessageId);
    }

    [Fact]
    public void ReturnsValidationCodeGivenSingleEventWithPascalCaseData()
    {
        const string body = """
            {"id":"1","subject":"","eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","eventTime":"2026-11-25T10:00:00Z","dataVersion":"1",
             "data":{"ValidationCode":"pascal-code"}}
            """;

        Assert.Equal("pascal-code", DeliveryReportParser.Parse(body).ValidationCode);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("subject")]
    [InlineData("eventTime")]
    [InlineData("dataVersion")]
    [InlineData("data")]
    public void ThrowsFormatExceptionNamingFieldGivenReportWithoutRequiredEnvelopeField(string field)
    {
        var fields = new Dictionary<string, object>
        {
            ["id"] = "1",
            ["subject"] = "s",
            ["eventType"] = DeliveryReportParser.SmsDeliveryReportType,
            ["eventTime"] = "2026-11-25T10:00:00Z",
            ["dataVersion"] = "1.0",
            ["data"] = new { messageId = "x", deliveryStatus = "Delivered" },
        };
        fields.Remove(field);

        var exception = Assert.Throws<FormatException>(() => DeliveryReportParser.Parse(System.Text.Json.JsonSerializer.Serialize(new[] { fields })));

        Assert.Contains($"'{field}'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThrowsFormatExceptionNamingFieldGivenEventWithoutEventType()
    {
        const string body = """[{"id":"1","subject":"s","data":{"messageId":"x","deliveryStatus":"Delivered"}}]""";

        var exception = Assert.Throws<FormatException>(() => DeliveryReportParser.Parse(body));

        Assert.Contains("'eventType'", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("42")]
    [InlineData("[1]")]
    [InlineData("[{\"id\":\"1\",\"subject\":\"s\",\"eventType\":5,\"eventTime\":\"2026-11-25T10:00:00Z\",\"dataVersion\":\"1\",\"data\":{}}]")]
    public void ThrowsFormatExceptionGivenNonEventBody(string body) =>
        Assert.Throws<FormatException>(() => DeliveryReportParser.Parse(body));
}
