using System.Text.RegularExpressions;
using OtpFunctions.Configuration;

namespace OtpFunctions.Fraud;

/// <summary>Stops start-up on a fraud guard that could not judge anything, or would judge everything.</summary>
public sealed partial class FraudGuardOptionsValidator : IValidateOptions<FraudGuardOptions>
{
    private const string Key = FraudGuardOptions.Section + ":";

    public ValidateOptionsResult Validate(string? name, FraudGuardOptions options) => SettingRules.Verdict([
        Enum.IsDefined(options.Mode) ? null : $"{Key}Mode must be Off, Monitor or Block.",
        SettingRules.Between(Key + nameof(options.PrefixDigits), options.PrefixDigits, 0, 8),
        SettingRules.Between(Key + nameof(options.MinSends), options.MinSends, 1, 1_000_000),
        options.MinConversion is >= 0 and <= 1 ? null : $"{Key}MinConversion must be a share between 0 and 1, such as 0.2.",
        Span(nameof(options.Window), options.Window, TimeSpan.FromMinutes(1), TimeSpan.FromDays(7)),
        Span(nameof(options.Grace), options.Grace, TimeSpan.FromSeconds(10), TimeSpan.FromDays(1)),
        Span(nameof(options.BlockFor), options.BlockFor, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30)),
        options.Grace < options.Window ? null : $"{Key}Grace must be shorter than {Key}Window: no send could ever be judged.",
        .. options.ExemptPrefixes.Where(prefix => !PrefixShape().IsMatch(prefix.Trim()))
            .Select(prefix => $"{Key}ExemptPrefixes holds '{prefix}', which is not a number prefix such as +1 or +4479."),
    ]);

    private static string? Span(string name, TimeSpan value, TimeSpan min, TimeSpan max) =>
        value >= min && value <= max ? null : $"{Key}{name} must be between {min:c} and {max:c}; it is {value:c}.";

    [GeneratedRegex(@"^\+?[1-9][0-9]{0,14}\z")]
    private static partial Regex PrefixShape();
}
