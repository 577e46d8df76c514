using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace OtpFunctions.Infrastructure;

/// <summary>
/// The three keys of the service, decoded once at start-up. Outside Development each must be configured;
/// in Development a missing key is replaced by a random one for the life of the process.
/// </summary>
public sealed class OtpSecrets
{
    public const string PepperKey = "Otp:Secrets:Pepper";
    public const string EncryptionKeyKey = "Otp:Secrets:EncryptionKey";
    public const string SigningKeyKey = "Otp:Secrets:SigningKey";

    private OtpSecrets(byte[] pepper, byte[] encryptionKey, byte[] signingKey, bool generated)
    {
        Pepper = pepper;
        EncryptionKey = encryptionKey;
        SigningKey = signingKey;
        Generated = generated;
    }

    public byte[] Pepper { get; }

    public byte[] EncryptionKey { get; }

    public byte[] SigningKey { get; }

    /// <summary>True when at least one key was generated because Development had none.</summary>
    public bool Generated { get; }

    public static OtpSecrets Load(IConfiguration configuration, IHostEnvironment environment)
    {
        var development = environment.IsDevelopment();
        var generated = false;
        var pepper = Read(configuration, PepperKey, 32, exact: false, development, ref generated);
        var encryption = Read(configuration, EncryptionKeyKey, 32, exact: true, development, ref generated);
        var signing = Read(configuration, SigningKeyKey, 32, exact: false, development, ref generated);
        return new OtpSecrets(pepper, encryption, signing, generated);
    }

    private static byte[] Read(IConfiguration configuration, string key, int bytes, bool exact, bool development, ref bool generated)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            if (!development)
            {
                throw new InvalidOperationException($"{key} is required outside Development: set it to a base64 value of {(exact ? "exactly" : "at least")} {bytes} random bytes (for example `openssl rand -base64 32`).");
            }

            generated = true;
            return RandomNumberGenerator.GetBytes(bytes);
        }

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
}
