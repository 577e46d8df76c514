using System.Security.Cryptography;

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
    public const string PepperKey = SecretOptions.Section + ":" + nameof(SecretOptions.Pepper);
    public const string EncryptionKeyKey = SecretOptions.Section + ":" + nameof(SecretOptions.EncryptionKey);
    public const string SigningKeyKey = SecretOptions.Section + ":" + nameof(SecretOptions.SigningKey);

    /// <summary>Random bytes in a generated key, and the least a configured one may decode to (the encryption key exactly).</summary>
    public const int KeyBytes = 32;

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

    /// <summary>Decodes validated options; <see cref="SecretOptionsValidator"/> has already named any bad key.</summary>
    public static OtpSecrets Create(SecretOptions options)
    {
        var failures = new List<string>();
        var secrets = Read(options, failures);
        return failures.Count == 0 ? secrets : throw new InvalidOperationException(string.Join(" ", failures));
    }

    /// <summary>Decodes every key, adding a message per key that is missing or unusable.</summary>
    internal static OtpSecrets Read(SecretOptions options, List<string> failures)
    {
        var pepper = ReadRing(PepperKey, options.Pepper, Previous(SecretOptions.Section + ":" + nameof(SecretOptions.PreviousPeppers), options.PreviousPeppers), exact: false, failures);
        var encryption = ReadRing(EncryptionKeyKey, options.EncryptionKey, Previous(SecretOptions.Section + ":" + nameof(SecretOptions.PreviousEncryptionKeys), options.PreviousEncryptionKeys), exact: true, failures);
        var signing = new List<string>();
        foreach (var (name, value) in Previous(SecretOptions.Section + ":" + nameof(SecretOptions.PreviousSigningKeys), options.PreviousSigningKeys).Prepend((SigningKeyKey, options.SigningKey)))
        {
            if (IsMissing(name, value, exact: false, failures))
            {
                continue;
            }

            var problem = SigningKeyProblem(name, value!);
            if (problem is null)
            {
                signing.Add(value!.Contains("-----BEGIN", StringComparison.Ordinal) ? value : value.Trim());
            }
            else
            {
                failures.Add(problem);
            }
        }

        return new OtpSecrets(pepper, encryption, signing, options.Generated);
    }

    private static KeyRing ReadRing(string key, string? current, IEnumerable<(string Name, string? Value)> previous, bool exact, List<string> failures)
    {
        var currentBytes = IsMissing(key, current, exact, failures) ? new byte[KeyBytes] : Decode(key, current!, exact, failures);
        return new KeyRing(currentBytes, previous.Select(entry => Decode(entry.Name, entry.Value!, exact, failures)).ToList());
    }

    private static IEnumerable<(string Name, string? Value)> Previous(string key, Dictionary<string, string?> values) =>
        values.Where(entry => !string.IsNullOrWhiteSpace(entry.Value)).Select(entry => ($"{key}:{entry.Key}", entry.Value));

    private static bool IsMissing(string key, string? text, bool exact, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        failures.Add($"{key} is required outside Development: set it to a base64 value of {(exact ? "exactly" : "at least")} {KeyBytes} random bytes (for example `openssl rand -base64 32`).");
        return true;
    }

    private static byte[] Decode(string key, string text, bool exact, List<string> failures)
    {
        byte[] value;
        try
        {
            value = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            failures.Add($"{key} is not valid base64.");
            return new byte[KeyBytes];
        }

        if (exact ? value.Length != KeyBytes : value.Length < KeyBytes)
        {
            failures.Add($"{key} must decode to {(exact ? "exactly" : "at least")} {KeyBytes} bytes; it decodes to {value.Length}.");
        }

        return value;
    }

    private static string? SigningKeyProblem(string key, string text)
    {
        if (!text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            var failures = new List<string>(1);
            Decode(key, text, exact: false, failures);
            return failures.FirstOrDefault();
        }

        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(text);
            // Exporting the private parameters fails for a public-only key: signing would fail after a code was consumed.
            var parameters = ecdsa.ExportParameters(includePrivateParameters: true);
            return parameters.Curve.Oid.Value == "1.2.840.10045.3.1.7" ? null : $"{key} must be a P-256 (ES256) private key.";
        }
        catch (Exception exception) when (exception is ArgumentException or CryptographicException)
        {
            return $"{key} is not a readable PEM EC private key.";
        }
    }
}
