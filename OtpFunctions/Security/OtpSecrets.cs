using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace OtpFunctions.Security;

/// <summary>
/// The service's keys, decoded once at start-up. Each has a current value and optional previous values
/// (<c>Otp:Secrets:Previous…</c>) so a key can be rotated while codes, messages and sessions made under
/// the old one are still in flight: new material uses the current key, the key id stored beside it finds
/// the right one later. Outside Development every current key must be configured; in Development a
/// missing one is replaced by a random key for the life of the process.
/// </summary>
public sealed class OtpSecrets
{
    public const string PepperKey = "Otp:Secrets:Pepper";
    public const string EncryptionKeyKey = "Otp:Secrets:EncryptionKey";
    public const string SigningKeyKey = "Otp:Secrets:SigningKey";

    private OtpSecrets(KeyRing pepper, KeyRing encryption, IReadOnlyList<string> signing, bool generated)
    {
        Pepper = pepper;
        Encryption = encryption;
        SigningKeys = signing;
        Generated = generated;
    }

    /// <summary>Keys the HMACs of codes, destinations and addresses.</summary>
    public KeyRing Pepper { get; }

    /// <summary>AES-256-GCM keys for destinations and codes in queue messages and rows.</summary>
    public KeyRing Encryption { get; }

    /// <summary>Signing keys as configured (base64 secret or PEM EC private key), current first.</summary>
    public IReadOnlyList<string> SigningKeys { get; }

    /// <summary>True when at least one key was generated because Development had none.</summary>
    public bool Generated { get; }

    public static OtpSecrets Load(IConfiguration configuration, IHostEnvironment environment)
    {
        var development = environment.IsDevelopment();
        var generated = false;
        var pepper = ReadRing(configuration, PepperKey, "Otp:Secrets:PreviousPeppers", 32, exact: false, development, ref generated);
        var encryption = ReadRing(configuration, EncryptionKeyKey, "Otp:Secrets:PreviousEncryptionKeys", 32, exact: true, development, ref generated);

        var signing = new List<string>();
        var current = configuration[SigningKeyKey];
        if (string.IsNullOrWhiteSpace(current))
        {
            signing.Add(Convert.ToBase64String(Read(configuration, SigningKeyKey, null, 32, exact: false, development, ref generated)));
        }
        else
        {
            signing.Add(ValidateSigningKey(SigningKeyKey, current));
        }

        foreach (var (name, value) in Previous(configuration, "Otp:Secrets:PreviousSigningKeys"))
        {
            signing.Add(ValidateSigningKey(name, value));
        }

        return new OtpSecrets(pepper, encryption, signing, generated);
    }

    private static KeyRing ReadRing(IConfiguration configuration, string key, string previousKey, int bytes, bool exact, bool development, ref bool generated)
    {
        var current = Read(configuration, key, configuration[key], bytes, exact, development, ref generated);
        var previous = new List<byte[]>();
        foreach (var (name, value) in Previous(configuration, previousKey))
        {
            previous.Add(Decode(name, value, bytes, exact));
        }

        return new KeyRing(current, previous);
    }

    private static IEnumerable<(string Name, string Value)> Previous(IConfiguration configuration, string key) =>
        configuration.GetSection(key).GetChildren()
            .Where(child => !string.IsNullOrWhiteSpace(child.Value))
            .Select(child => ($"{key}:{child.Key}", child.Value!));

    private static byte[] Read(IConfiguration configuration, string key, string? text, int bytes, bool exact, bool development, ref bool generated)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (!development)
            {
                throw new InvalidOperationException($"{key} is required outside Development: set it to a base64 value of {(exact ? "exactly" : "at least")} {bytes} random bytes (for example `openssl rand -base64 32`).");
            }

            generated = true;
            return RandomNumberGenerator.GetBytes(bytes);
        }

        return Decode(key, text, bytes, exact);
    }

    private static byte[] Decode(string key, string text, int bytes, bool exact)
    {
        byte[] value;
        try
        {
            value = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{key} is not valid base64.");
        }

        if (exact ? value.Length != bytes : value.Length < bytes)
        {
            throw new InvalidOperationException($"{key} must decode to {(exact ? "exactly" : "at least")} {bytes} bytes; it decodes to {value.Length}.");
        }

        return value;
    }

    private static string ValidateSigningKey(string key, string text)
    {
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            try
            {
                using var ecdsa = ECDsa.Create();
                ecdsa.ImportFromPem(text);
                // Exporting the private parameters fails for a public-only key: signing would fail after a code was consumed.
                var parameters = ecdsa.ExportParameters(includePrivateParameters: true);
                if (parameters.Curve.Oid.Value != "1.2.840.10045.3.1.7")
                {
                    throw new InvalidOperationException($"{key} must be a P-256 (ES256) private key.");
                }
            }
            catch (Exception exception) when (exception is ArgumentException or CryptographicException)
            {
                throw new InvalidOperationException($"{key} is not a readable PEM EC private key.");
            }

            return text;
        }

        Decode(key, text, 32, exact: false);
        return text.Trim();
    }
}

/// <summary>A current key and the previous ones, each known by a short id derived from the key itself.</summary>
public sealed class KeyRing
{
    private readonly Dictionary<string, byte[]> byId = new(StringComparer.Ordinal);

    public KeyRing(byte[] current, IEnumerable<byte[]> previous)
    {
        Current = current;
        CurrentId = IdOf(current);
        byId[CurrentId] = current;
        foreach (var key in previous)
        {
            byId.TryAdd(IdOf(key), key);
        }
    }

    public byte[] Current { get; }

    public string CurrentId { get; }

    public byte[]? Find(string id) => byId.GetValueOrDefault(id);

    /// <summary>Eight url-safe characters: names a key without revealing anything useful about it.</summary>
    public static string IdOf(byte[] key) =>
        Base64Url.Encode(SHA256.HashData([.. Encoding.UTF8.GetBytes("otp-key-id\n"), .. key]).AsSpan(0, 6));
}
