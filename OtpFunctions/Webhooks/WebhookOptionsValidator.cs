using OtpFunctions.Configuration;

namespace OtpFunctions.Webhooks;

/// <summary>Stops start-up on an endpoint that could not be delivered to or verified by its receiver.</summary>
public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    private const string SecretPrefix = "whsec_";

    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var failures = new List<string>();
        if (!System.Text.RegularExpressions.Regex.IsMatch(options.Queue, "^[a-z0-9](?!.*--)[a-z0-9-]{1,54}[a-z0-9]$"))
        {
            failures.Add($"{SettingNames.WebhookQueue} must be a valid queue name of 3-56 lowercase letters, digits and single hyphens ('-poison' is appended for the poison queue).");
        }

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
