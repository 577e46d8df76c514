using Microsoft.Extensions.Configuration;
using OtpFunctions.Configuration;

namespace OtpFunctions.Webhooks;

/// <summary>
/// Stops start-up on an endpoint that could not be delivered to or verified by its receiver, and on endpoints without
/// the queue setting their trigger needs.
/// </summary>
public sealed class WebhookOptionsValidator(IConfiguration configuration) : IValidateOptions<WebhookOptions>
{
    private const string SecretPrefix = "whsec_";

    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var failures = new List<string>();
        if (!System.Text.RegularExpressions.Regex.IsMatch(options.Queue, "^[a-z0-9](?!.*--)[a-z0-9-]{1,54}[a-z0-9]$"))
        {
            failures.Add($"{SettingNames.WebhookQueue} must be a valid queue name of 3-56 lowercase letters, digits and single hyphens ('-poison' is appended for the poison queue).");
        }

        failures.AddRange(QueueSettingMissing(options));
        foreach (var (endpoint, settings) in options.Configured.Where(endpoint => !string.IsNullOrWhiteSpace(endpoint.Value.Url)))
        {
            var (url, secret, events) = (settings.Url, settings.Secret, settings.Events);
            var key = $"{SettingNames.Webhooks}:{endpoint}";
            if (!System.Text.RegularExpressions.Regex.IsMatch(endpoint, "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"))
            {
                failures.Add($"{key}: an endpoint name is 1-64 letters, digits, '-' or '_'.");
            }

            // Codes are not in webhooks, but approvals are: in clear they could be forged or read on the way.
            if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || !(parsed.Scheme == Uri.UriSchemeHttps || (parsed.Scheme == Uri.UriSchemeHttp && parsed.IsLoopback)) || parsed.UserInfo.Length > 0)
            {
                failures.Add($"{key}:Url must be an absolute https URL without credentials (http is accepted only for 127.0.0.1 or localhost).");
            }

            if (!IsSecret(secret))
            {
                failures.Add($"{key}:Secret must be {SecretPrefix} followed by base64 of 24 to 64 random bytes (for example: echo {SecretPrefix}$(openssl rand -base64 32)).");
            }

            var unknown = (events ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(e => !WebhookEvents.All.Contains(e)).ToList();
            if (unknown.Count > 0)
            {
                failures.Add($"{key}:Events names unknown events ({string.Join(", ", unknown)}); known: {string.Join(", ", WebhookEvents.All)}.");
            }
        }

        return SettingRules.Verdict(failures);
    }

    /// <summary>
    /// The SendWebhook trigger reads %OTP_WEBHOOK_QUEUE% itself, with no default: the Functions host disables the
    /// function when the setting is missing (a warning among its start-up lines) while sends still queue webhooks.
    /// </summary>
    private IEnumerable<string> QueueSettingMissing(WebhookOptions options)
    {
        if (options.Endpoints.Count > 0 && string.IsNullOrWhiteSpace(configuration[SettingNames.WebhookQueue]))
        {
            yield return $"{SettingNames.WebhookQueue} must be set when {SettingNames.Webhooks} has endpoints: the SendWebhook trigger reads %{SettingNames.WebhookQueue}% and the Functions host disables it without one, so webhooks would queue up unsent (use {WebhookOptions.DefaultQueue}, as local.settings.sample.json does).";
        }
    }

    private static bool IsSecret(string? secret)
    {
        if (secret is null || !secret.Trim().StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var bytes = new byte[secret.Length];
        return Convert.TryFromBase64String(secret.Trim()[SecretPrefix.Length..], bytes, out var length) && length is >= 24 and <= 64;
    }
}
