using System.Security.Cryptography;

namespace OtpFunctions.Security;

/// <summary>
/// AES-256-GCM with a random 96-bit nonce, laid out as nonce | ciphertext | tag: the one sealing every queue
/// message and stored secret uses. The associated data binds a sealed value to where it belongs, so a value
/// moved to another message or row does not open.
/// </summary>
public static class SealedBytes
{
    public const int NonceBytes = 12;
    public const int TagBytes = 16;

    public static byte[] Seal(byte[] key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var sealedBytes = new byte[NonceBytes + plaintext.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceBytes, plaintext.Length), sealedBytes.AsSpan(NonceBytes + plaintext.Length), associatedData);
        return sealedBytes;
    }

    /// <summary>The inverse of <see cref="Seal"/>; throws <see cref="CryptographicException"/> when the key, the bytes or the associated data are wrong.</summary>
    public static byte[] Open(byte[] key, ReadOnlySpan<byte> sealedBytes, ReadOnlySpan<byte> associatedData)
    {
        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("Too short to be a sealed value.");
        }

        var plaintext = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(sealedBytes[..NonceBytes], sealedBytes.Slice(NonceBytes, plaintext.Length), sealedBytes[^TagBytes..], plaintext, associatedData);
        return plaintext;
    }
}
