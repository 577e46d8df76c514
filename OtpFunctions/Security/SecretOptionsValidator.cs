using Microsoft.Extensions.Options;

namespace OtpFunctions.Security;

/// <summary>Every key decodes to a usable one; messages name the key and never echo its value.</summary>
public sealed class SecretOptionsValidator : IValidateOptions<SecretOptions>
{
    public ValidateOptionsResult Validate(string? name, SecretOptions options)
    {
        var failures = new List<string>();
        OtpSecrets.Read(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
