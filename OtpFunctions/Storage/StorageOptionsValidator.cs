using System.Text.RegularExpressions;
using OtpFunctions.Configuration;

namespace OtpFunctions.Storage;

/// <summary>Names the storage can hold. The connection itself is checked when the clients are built, where the SDK parses it.</summary>
public sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (options.Table is null || !TableName().IsMatch(options.Table))
        {
            failures.Add("Otp:Storage:Table must be 3-63 letters or digits, starting with a letter.");
        }

        if (options.Queue is null || !QueueName().IsMatch(options.Queue))
        {
            failures.Add("OTP_DELIVERY_QUEUE must be a valid queue name (3-63 lowercase letters, digits, single hyphens).");
        }

        return SettingRules.Verdict(failures);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableName();

    [GeneratedRegex("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex QueueName();
}
