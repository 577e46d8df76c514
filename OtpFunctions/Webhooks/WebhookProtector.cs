using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OtpFunctions.Security;

namespace OtpFunctions.Webhooks;

/// <summary>
/// Seals webhook queue messages, so that only this service can put an event on the queue that it will sign:
/// whoever can write to the queue (a leaked connection string, a storage role too broad) could otherwise have any
/// event signed and sent to app backends. The body is AES-256-GCM sealed under a key derived from
/// <c>Otp:Secrets:EncryptionKey</c>, with the endpoint, event id, type and attempt as associated data; the key id
/// beside it finds a previous key (<c>Otp:Secrets:PreviousEncryptionKeys</c>) after a rotation, as the delivery
/// queue's envelopes do.
/// </summary>
public sealed class WebhookProtector(OtpSecrets secrets)
{
    private const int Version = 1;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Seal(WebhookMessage message)
    {
        var sealedBody = SealedBytes.Seal(KeyFor(secrets.Encryption.Current), Encoding.UTF8.GetBytes(message.Body), Aad(message));
        var wire = new SealedMessage(Version, message.Endpoint, message.Id, message.Type, message.Attempt, secrets.Encryption.CurrentId, Convert.ToBase64String(sealedBody));
        return JsonSerializer.Serialize(wire, Json);
    }

    /// <summary>The message, or null with the reason it does not open: not ours, tampered with, or sealed under a key no longer configured.</summary>
    public WebhookMessage? TryOpen(string text, out string reason)
    {
        SealedMessage? wire;
        try
        {
            wire = JsonSerializer.Deserialize<SealedMessage>(text, Json);
        }
        catch (JsonException)
        {
            wire = null;
        }

        if (wire is not { V: Version, Endpoint.Length: > 0, Id.Length: > 0, Type.Length: > 0, Attempt: >= 1, KeyId: not null, Body: not null })
        {
            reason = "not a sealed webhook message";
            return null;
        }

        if (secrets.Encryption.Find(wire.KeyId) is not { } key)
        {
            reason = "sealed under an encryption key that is not configured";
            return null;
        }

        var message = new WebhookMessage(wire.Endpoint, wire.Id, wire.Type, "", wire.Attempt);
        try
        {
            var body = SealedBytes.Open(KeyFor(key), Convert.FromBase64String(wire.Body), Aad(message));
            reason = "";
            return message with { Body = Encoding.UTF8.GetString(body) };
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException)
        {
            reason = "its seal does not verify (forged or altered)";
            return null;
        }
    }

    // Its own key, derived from the encryption key: a value sealed for one queue never opens as the other's.
    private static byte[] KeyFor(byte[] encryptionKey) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, encryptionKey, 32, salt: [], info: "otp-webhook-queue"u8.ToArray());

    private static byte[] Aad(WebhookMessage message) =>
        Encoding.UTF8.GetBytes($"otp-webhook\n{message.Endpoint}\n{message.Id}\n{message.Type}\n{message.Attempt}");

    /// <summary>What the queue holds: routing in the clear (for operators reading the poison queue), the body sealed.</summary>
    private sealed record SealedMessage(int V, string Endpoint, string Id, string Type, int Attempt, string KeyId, string Body);
}
