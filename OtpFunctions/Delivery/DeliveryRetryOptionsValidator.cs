using OtpFunctions.Configuration;

namespace OtpFunctions.Delivery;

/// <summary>Retries that end: a message that keeps failing reaches a final status instead of cycling.</summary>
public sealed class DeliveryRetryOptionsValidator : IValidateOptions<DeliveryRetryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryRetryOptions options) =>
        SettingRules.Verdict([SettingRules.Between(DeliveryRetryOptions.Section + ":" + nameof(options.MaxAttempts), options.MaxAttempts, 1, 100)]);
}
