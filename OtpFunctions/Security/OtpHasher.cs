using System.Security.Cryptography;
using System.Text;

namespace OtpFunctions.Security;

/// <summary>
/// Keyed hashes (HMAC-SHA256 under the pepper). Each input is prefixed with its purpose so a hash made
/// for one use can never be replayed as another, and codes are bound to their challenge id.
/// </summary>
public sealed class OtpHasher(OtpSecrets secrets)
{
    private const int DestinationKeyBytes = 16;

    /// <summary>
    /// The stable, unreversible partition key of a destination: 22 url-safe characters. Every phone channel keys a
    /// number as SMS always has: one number, one partition, whichever channel carries its code, so the phone channels
    /// share its limits and a challenge can switch channel without moving.
    /// </summary>
    public string DestinationKey(Channel channel, string normalizedDestination) =>
        Base64Url.Encode(Hash($"dest\n{(channel.IsPhone() ? Channel.Sms : channel)}\n{normalizedDestination}").AsSpan(0, DestinationKeyBytes));

    /// <summary>The key of a client IP's limit row; the address itself is never stored.</summary>
    public string IpKey(string ip) => Base64Url.Encode(Hash($"ip\n{ip}").AsSpan(0, DestinationKeyBytes));

    /// <summary>Where an Idempotency-Key is stored: keyed by the pepper and bound to its caller's scope.</summary>
    public string IdempotencyKey(string callerScope, string key) => Base64Url.Encode(Hash($"idem\n{callerScope}\n{key}"));

    /// <summary>"{pepper id}.{hash}": the id lets a code made before a pepper rotation still be checked.</summary>
    public string HashCode(string challengeId, string code) =>
        secrets.Pepper.CurrentId + "." + Convert.ToBase64String(Hash(secrets.Pepper.Current, $"code\n{challengeId}\n{code}"));

    /// <summary>False when the hash was made under a pepper that is no longer configured.</summary>
    public bool CanCheck(string storedHash)
    {
        var dot = storedHash.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && secrets.Pepper.Find(storedHash[..dot]) is not null;
    }

    /// <summary>Compares a candidate code with a stored hash in constant time.</summary>
    public bool CodeMatches(string challengeId, string candidate, string storedHash)
    {
        var dot = storedHash.IndexOf('.', StringComparison.Ordinal);
        Span<byte> stored = stackalloc byte[32];
        if (dot < 0 || secrets.Pepper.Find(storedHash[..dot]) is not { } pepper
            || !Convert.TryFromBase64String(storedHash[(dot + 1)..], stored, out var written) || written != 32)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Hash(pepper, $"code\n{challengeId}\n{candidate}"), stored);
    }

    /// <summary>
    /// The signature a voice call's callback URL carries: binds the challenge and its code version under the pepper,
    /// so ACS's callbacks are told from forgeries without a shared secret of ACS's own.
    /// </summary>
    public string CallSignature(string challengeId, int codeVersion) => Base64Url.Encode(Hash($"call\n{challengeId}\n{codeVersion}"));

    /// <summary>Checks <see cref="CallSignature"/> in constant time.</summary>
    public bool CallSignatureMatches(string challengeId, int codeVersion, string? signature) =>
        signature is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(CallSignature(challengeId, codeVersion)), Encoding.ASCII.GetBytes(signature));

    private byte[] Hash(string input) => Hash(secrets.Pepper.Current, input);

    private static byte[] Hash(byte[] pepper, string input) => HMACSHA256.HashData(pepper, Encoding.UTF8.GetBytes(input));
}
