using OtpFunctions.Configuration;

namespace OtpFunctions.Security;

/// <summary>Every key decodes to a usable one; messages name the key and never echo its value.</summary>
public sealed class SecretOptionsValidator : IValidateOptions<SecretOptions>
{
    public ValidateOptionsResult Validate(string? name, SecretOptions options)
    {
        var failures = new List<string>();
        OtpSecrets.Read(options, failures);
        return SettingRules.Verdict(failures);
    }
}
