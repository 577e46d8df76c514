using Microsoft.Extensions.Options;

namespace OtpFunctions.Webhooks;

/// <summary>A retry schedule that ends: an endpoint is given up on after a bounded number of attempts.</summary>
public sealed class WebhookRetryOptionsValidator : IValidateOptions<WebhookRetryOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookRetryOptions options) =>
        options.MaxAttempts is >= 1 and <= 20
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Webhook retries: MaxAttempts must be between 1 and 20; it is {options.MaxAttempts}.");
}
