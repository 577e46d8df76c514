using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using OtpFunctions.Configuration;

namespace OtpFunctions.Security;

/// <summary>
/// <c>Otp:Secrets</c> as configured: each key's current value (base64; the signing key may also be a PEM EC
/// private key) and the previous values still accepted while a rotation is under way.
/// </summary>
public sealed class SecretOptions : IOptionsDefaults
{
    public const string Section = SettingNames.Secrets;

    public string? Pepper { get; set; }

    public string? EncryptionKey { get; set; }

    public string? SigningKey { get; set; }

    public Dictionary<string, string?> PreviousPeppers { get; set; } = [];

    public Dictionary<string, string?> PreviousEncryptionKeys { get; set; } = [];

    public Dictionary<string, string?> PreviousSigningKeys { get; set; } = [];

    /// <summary>True when Development had no value for some current key and a random one stands in for the life of the process.</summary>
    public bool Generated { get; private set; }

    /// <summary>In Development a missing key is generated; everywhere else the validator refuses to start without it.</summary>
    public void ApplyDefaults(IHostEnvironment environment)
    {
        if (environment.IsDevelopment())
        {
            GenerateMissing();
        }
    }

    /// <summary>Fills each missing current key with random bytes: how Development runs without any configured.</summary>
    public SecretOptions GenerateMissing()
    {
        Pepper = Generate(Pepper);
        EncryptionKey = Generate(EncryptionKey);
        SigningKey = Generate(SigningKey);
        return this;
    }

    private string Generate(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        Generated = true;
        return Convert.ToBase64String(RandomNumberGenerator.GetBytes(OtpSecrets.KeyBytes));
    }
}
