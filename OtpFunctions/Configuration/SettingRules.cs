using System.Globalization;

namespace OtpFunctions.Configuration;

/// <summary>What every validator says the same way: a number out of range, and the verdict from a list of problems.</summary>
public static class SettingRules
{
    /// <summary>The problem with a whole number outside its range, naming the key; null when it is inside.</summary>
    public static string? Between(string key, int value, int min, int max) =>
        value >= min && value <= max ? null : string.Create(CultureInfo.InvariantCulture, $"{key} must be between {min} and {max}; it is {value}.");

    public static ValidateOptionsResult Verdict(IEnumerable<string?> problems)
    {
        var failures = problems.OfType<string>().ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
