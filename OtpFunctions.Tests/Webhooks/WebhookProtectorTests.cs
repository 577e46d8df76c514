using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using OtpFunctions.Security;
using OtpFunctions.Webhooks;

namespace OtpFunctions.Tests.Webhooks;

/// <summary>
/// The webhook queue holds sealed messages: only what this service sealed opens, the routing fields cannot be
/// changed under the seal, and a key rotation keeps messages sealed under the previous key readable.
/// </summary>
public sealed class WebhookProtectorTests
{
    private static readonly WebhookMessage Approved = new("app", "msg_abc", "verification.approved", """{"type":"verification.approved","data":{"id":"x"}}""", 1);

    [Fact]
    public void OpensWhatItSealedAndHidesTheBody()
    {
        var protector = Protector(NewKey());

        var text = protector.Seal(Approved);
        var opened = protector.TryOpen(text, out _);

        Assert.Equal(Approved, opened);
        Assert.DoesNotContain("\"data\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0022data", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("endpoint", "audit")]
    [InlineData("id", "msg_other")]
    [InlineData("type", "delivery.failed")]
    [InlineData("attempt", "2")]
    public void RefusesAMessageWhoseRoutingWasChanged(string field, string value)
    {
        var protector = Protector(NewKey());
        var wire = JsonNode.Parse(protector.Seal(Approved))!.AsObject();
        wire[field] = field == "attempt" ? JsonValue.Create(int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)) : JsonValue.Create(value);

        Assert.Null(protector.TryOpen(wire.ToJsonString(), out var reason));
        Assert.Contains("does not verify", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesAnUnsealedMessageAndOneSealedUnderAnotherKey()
    {
        var protector = Protector(NewKey());
        // What the queue held before messages were sealed: anyone with queue access could write it.
        var plain = JsonSerializer.Serialize(Approved, JsonSerializerOptions.Web);

        Assert.Null(protector.TryOpen(plain, out var plainReason));
        Assert.Null(protector.TryOpen("not json", out _));
        Assert.Null(protector.TryOpen(Protector(NewKey()).Seal(Approved), out var foreignReason));
        Assert.Equal("not a sealed webhook message", plainReason);
        Assert.Contains("not configured", foreignReason, StringComparison.Ordinal);
    }

    [Fact]
    public void OpensAMessageSealedUnderThePreviousKeyAfterARotation()
    {
        var old = NewKey();
        var sealedBefore = Protector(old).Seal(Approved);

        var rotated = Protector(NewKey(), previous: old);

        Assert.Equal(Approved, rotated.TryOpen(sealedBefore, out _));
        Assert.Null(Protector(NewKey()).TryOpen(sealedBefore, out _));
    }

    [Fact]
    public void NeverOpensADeliveryEnvelopeSealedUnderTheSameKey()
    {
        // The webhook key is derived from the encryption key: a sealed value from one queue is no key to the other.
        var key = NewKey();
        var protector = Protector(key);
        var wire = JsonNode.Parse(protector.Seal(Approved))!.AsObject();
        var aad = System.Text.Encoding.UTF8.GetBytes("otp-webhook\napp\nmsg_abc\nverification.approved\n1");
        wire["body"] = Convert.ToBase64String(SealedBytes.Seal(Convert.FromBase64String(key), System.Text.Encoding.UTF8.GetBytes(Approved.Body), aad));

        Assert.Null(protector.TryOpen(wire.ToJsonString(), out _));
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static WebhookProtector Protector(string key, string? previous = null)
    {
        var options = new SecretOptions { EncryptionKey = key };
        if (previous is not null)
        {
            options.PreviousEncryptionKeys["0"] = previous;
        }

        return new WebhookProtector(OtpSecrets.Create(options.GenerateMissing()));
    }
}
