using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OtpFunctions.Security;

namespace OtpFunctions.Delivery;

/// <summary>Seals and opens <see cref="DeliveryEnvelope"/>s with the configured encryption key.</summary>
public sealed class DeliveryProtector(OtpSecrets secrets)
{
    public string Seal(string challengeId, int codeVersion, Guid operationId, DateTimeOffset firstSentAt, DeliverySecret secret)
    {
        var plaintext = JsonSerializer.SerializeToUtf8Bytes(secret);
        var sealedBytes = Encrypt(plaintext, Aad(challengeId, codeVersion, operationId));
        CryptographicOperations.ZeroMemory(plaintext);
        var envelope = new DeliveryEnvelope(1, challengeId, codeVersion, operationId, firstSentAt, Convert.ToBase64String(sealedBytes), secrets.Encryption.CurrentId);
        return JsonSerializer.Serialize(envelope);
    }

    /// <summary>Parses a queue message; false for anything malformed, never an exception.</summary>
    public static bool TryParse(string message, out DeliveryEnvelope? envelope)
    {
        envelope = null;
        try
        {
            envelope = JsonSerializer.Deserialize<DeliveryEnvelope>(message);
            return envelope is { Version: 1, ChallengeId: not null, Ciphertext: not null, KeyId: not null };
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Decrypts the secret; false when the key is wrong or the message was tampered with.</summary>
    public bool TryOpen(DeliveryEnvelope envelope, out DeliverySecret? secret)
    {
        secret = null;
        var key = secrets.Encryption.Find(envelope.KeyId);
        var sealedBytes = new byte[envelope.Ciphertext.Length];
        if (key is null || !Convert.TryFromBase64String(envelope.Ciphertext, sealedBytes, out var length) || length < SealedBytes.NonceBytes + SealedBytes.TagBytes)
        {
            return false;
        }

        byte[]? plaintext = null;
        try
        {
            plaintext = Decrypt(key, sealedBytes.AsSpan(0, length), Aad(envelope.ChallengeId, envelope.CodeVersion, envelope.OperationId));
            secret = JsonSerializer.Deserialize<DeliverySecret>(plaintext);
            return secret is { To: not null, Code: not null };
        }
        catch (Exception exception) when (exception is CryptographicException or JsonException)
        {
            return false;
        }
        finally
        {
            if (plaintext is not null)
            {
                CryptographicOperations.ZeroMemory(plaintext);
            }
        }
    }

    /// <summary>Encrypts a destination for the challenge row, which needs it again for a resend: "{key id}.{sealed}".</summary>
    public string SealDestination(string challengeId, string destination)
    {
        var sealedBytes = Encrypt(Encoding.UTF8.GetBytes(destination), DestinationAad(challengeId));
        return secrets.Encryption.CurrentId + "." + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>False when the destination was sealed under a key that is no longer configured.</summary>
    public bool CanOpenDestination(string sealedDestination)
    {
        var dot = sealedDestination.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && secrets.Encryption.Find(sealedDestination[..dot]) is not null;
    }

    public string OpenDestination(string challengeId, string sealedDestination)
    {
        var dot = sealedDestination.IndexOf('.', StringComparison.Ordinal);
        var key = secrets.Encryption.Find(sealedDestination[..Math.Max(dot, 0)])
            ?? throw new CryptographicException("The destination was sealed under an encryption key that is no longer configured.");
        var plaintext = Decrypt(key, Convert.FromBase64String(sealedDestination[(dot + 1)..]), DestinationAad(challengeId));
        return Encoding.UTF8.GetString(plaintext);
    }

    /// <summary>Under the current key; the key id stored beside the result finds it again after a rotation.</summary>
    private byte[] Encrypt(byte[] plaintext, byte[] aad) => SealedBytes.Seal(secrets.Encryption.Current, plaintext, aad);

    private static byte[] Decrypt(byte[] key, ReadOnlySpan<byte> sealedBytes, byte[] aad) => SealedBytes.Open(key, sealedBytes, aad);

    private static byte[] DestinationAad(string challengeId) => Encoding.UTF8.GetBytes($"otp-destination\n{challengeId}");

    private static byte[] Aad(string challengeId, int codeVersion, Guid operationId) =>
        Encoding.UTF8.GetBytes($"otp-delivery\n{challengeId}\n{codeVersion}\n{operationId:N}");
}
