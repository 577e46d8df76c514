using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OtpFunctions.Client;

namespace OtpFunctions.Tests.Clients;

/// <summary>
/// The client's records against ../shared/api.md (beside the repository), field by field: the names below are copied from the contract, not
/// from the client, so a renamed or missing field fails here before an app meets it.
/// </summary>
public sealed class OtpJsonContextTests
{
    public static TheoryData<string, string> Bodies => new()
    {
        { nameof(SendRequest), "channel,to,purpose,locale,fallback" },
        { nameof(ResendRequest), "channel" },
        { nameof(Challenge), "id,channel,to,status,expiresAt,resendAfter,attemptsLeft,sendsLeft" },
        { nameof(ChallengeStatus), "id,channel,to,status,delivery,expiresAt,attemptsLeft,sendsLeft" },
        { nameof(ChallengeDelivery), "status,channel,updatedAt,error,attempts" },
        { nameof(DeliveryAttempt), "channel,status,at,error" },
        { nameof(Verification), "status,session" },
        { nameof(OtpSession), "token,expiresAt" },
        { nameof(SessionInfo), "subject,channel,purpose,issuedAt,expiresAt" },
        { "ErrorBody", "error,message,attemptsLeft,retryAfter" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void NamesTheContractsFieldsGivenEachBody(string body, string fields)
    {
        var type = (JsonTypeInfo)typeof(OtpJsonContext).GetProperty(body)!.GetValue(OtpJsonContext.Default)!;

        Assert.Equal(fields.Split(','), type.Properties.Select(property => property.Name));
    }

    [Fact]
    public void WritesOnlyWhatWasSetGivenAMinimalSendAndAChannelSwitch()
    {
        var minimal = JsonSerializer.Serialize(new SendRequest(OtpChannel.Sms, "+14155550100"), OtpJsonContext.Default.SendRequest);
        var fallback = JsonSerializer.Serialize(new SendRequest(OtpChannel.WhatsApp, "+14155550100") { Fallback = [OtpChannel.Sms, OtpChannel.Voice] }, OtpJsonContext.Default.SendRequest);
        var resend = JsonSerializer.Serialize(new ResendRequest(OtpChannel.Voice), OtpJsonContext.Default.ResendRequest);

        Assert.Equal("""{"channel":"sms","to":"+14155550100"}""", Readable(minimal));
        Assert.Equal("""{"channel":"whatsapp","to":"+14155550100","fallback":["sms","voice"]}""", Readable(fallback));
        Assert.Equal("""{"channel":"voice"}""", resend);
    }

    [Fact]
    public void ReadsEveryDeliveryAttemptGivenTheContractsStatusExample()
    {
        const string json = """
            {"id": "abc", "channel": "sms", "to": "+1415*****00", "status": "pending",
             "delivery": {"status": "sent", "channel": "sms", "updatedAt": "2026-11-25T10:00:05Z", "error": null,
                          "attempts": [{"channel": "whatsapp", "status": "failed", "at": "2026-11-25T10:00:01Z", "error": "undeliverable"},
                                       {"channel": "sms", "status": "sent", "at": "2026-11-25T10:00:05Z", "error": null}]},
             "expiresAt": "2026-11-25T10:10:00Z", "attemptsLeft": 5, "sendsLeft": 4}
            """;

        var status = JsonSerializer.Deserialize(json, OtpJsonContext.Default.ChallengeStatus)!;

        Assert.Equal(("sent", "sms"), (status.Delivery!.Status, status.Delivery.Channel));
        Assert.Equal(["whatsapp:failed:undeliverable", "sms:sent:"], status.Delivery.Attempts!.Select(a => $"{a.Channel}:{a.Status}:{a.Error}"));
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 10, 10, 0, TimeSpan.Zero), status.ExpiresAt);
    }

    // The serializer writes "+" as \u002B, which is the same JSON; compare what a reader sees.
    private static string Readable(string json) =>
        System.Text.Json.Nodes.JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
