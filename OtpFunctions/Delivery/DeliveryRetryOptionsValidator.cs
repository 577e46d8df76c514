using Microsoft.Extensions.Options;

namespace OtpFunctions.Delivery;

/// <summary>Retries that end: a message that keeps failing reaches a final status instead of cycling.</summary>
public sealed class DeliveryRetryOptionsValidator : IValidateOptions<DeliveryRetryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryRetryOptions options) =>
        options.MaxAttempts is >= 1 and <= 100
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Otp:Delivery:Retry:MaxAttempts must be between 1 and 100; it is {options.MaxAttempts}.");
}
