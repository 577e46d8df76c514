using OtpFunctions.Configuration;

namespace OtpFunctions.Webhooks;

/// <summary>A schedule that ends: an endpoint that keeps failing is given up on after a bounded number of attempts.</summary>
public sealed class WebhookRetryOptionsValidator : IValidateOptions<WebhookRetryOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookRetryOptions options) =>
        SettingRules.Verdict([SettingRules.Between("Webhook retries: " + nameof(options.MaxAttempts), options.MaxAttempts, 1, 20)]);
}
