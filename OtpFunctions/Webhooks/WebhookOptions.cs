using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OtpFunctions.Configuration;

namespace OtpFunctions.Webhooks;

/// <summary>The events an app backend can subscribe to (api.md's names).</summary>
public static class WebhookEvents
{
    public const string VerificationApproved = "verification.approved";
    public const string VerificationLocked = "verification.locked";
    public const string DeliveryFailed = "delivery.failed";

    public static readonly IReadOnlyList<string> All = [VerificationApproved, VerificationLocked, DeliveryFailed];
}

/// <summary>One endpoint under <c>Otp:Webhooks:&lt;name&gt;</c>: where to post, how to sign, what it wants.</summary>
public sealed record WebhookEndpoint(string Name, Uri Url, string Secret, IReadOnlySet<string> Events);

/// <summary>One endpoint as configured under <c>Otp:Webhooks:&lt;name&gt;</c>, kept raw so the validator can name each bad key (never a secret's value).</summary>
public sealed class WebhookEndpointSettings
{
    /// <summary>Empty turns the endpoint off: how a deployment template leaves a slot unused.</summary>
    public string? Url { get; set; }

    public string? Secret { get; set; }

    /// <summary>Comma-separated event names; empty subscribes to all.</summary>
    public string? Events { get; set; }
}

/// <summary>Every configured endpoint; none means webhooks are off and nothing is queued.</summary>
public sealed class WebhookOptions
{
    /// <summary>Bound from the root: the endpoints sit under <c>Otp:Webhooks</c>, the queue in a flat setting.</summary>
    public const string Section = SettingNames.Root;

    public const string DefaultQueue = "otp-webhooks";

    private Dictionary<string, WebhookEndpoint>? endpoints;

    /// <summary>The flat app setting naming the webhook queue: the trigger binding reads it as <c>%OTP_WEBHOOK_QUEUE%</c>.</summary>
    [ConfigurationKeyName(SettingNames.WebhookQueue)]
    public string Queue { get; set; } = DefaultQueue;

    [ConfigurationKeyName(SettingNames.Webhooks)]
    public Dictionary<string, WebhookEndpointSettings> Configured { get; set => field = value ?? new(StringComparer.OrdinalIgnoreCase); } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The endpoints that are on and usable, by name.</summary>
    public IReadOnlyDictionary<string, WebhookEndpoint> Endpoints => endpoints ??= Usable();

    public bool Wants(string eventType) => Endpoints.Values.Any(e => e.Events.Contains(eventType));

    private Dictionary<string, WebhookEndpoint> Usable()
    {
        var usable = new Dictionary<string, WebhookEndpoint>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, settings) in Configured.Where(endpoint => !string.IsNullOrWhiteSpace(endpoint.Value.Url)))
        {
            if (Uri.TryCreate(settings.Url, UriKind.Absolute, out var url) && settings.Secret is { } secret)
            {
                var events = string.IsNullOrWhiteSpace(settings.Events)
                    ? WebhookEvents.All.ToHashSet(StringComparer.Ordinal)
                    : settings.Events.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
                usable[name] = new WebhookEndpoint(name, url, secret.Trim(), events);
            }
        }

        return usable;
    }
}

/// <summary>An empty queue setting means the default queue, as an unset one does.</summary>
public sealed class WebhookOptionsDefaults : IPostConfigureOptions<WebhookOptions>
{
    public void PostConfigure(string? name, WebhookOptions options)
    {
        if (string.IsNullOrEmpty(options.Queue))
        {
            options.Queue = WebhookOptions.DefaultQueue;
        }
    }
}

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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
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

/// <summary>How patiently an endpoint that does not answer 2xx is retried. Not configuration keys: the schedule is the documented one.</summary>
public sealed class WebhookRetryOptions
{
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the first failure; four times longer after each next one, at most <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long one attempt may take before it counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan Backoff(int failedAttempts) =>
        TimeSpan.FromTicks(Math.Min(BaseDelay.Ticks * (1L << (2 * Math.Clamp(failedAttempts - 1, 0, 10))), MaxDelay.Ticks));
}
