using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OtpFunctions.Configuration;

namespace OtpFunctions.Webhooks;

/// <summary>Every configured endpoint; none means webhooks are off and nothing is queued.</summary>
public sealed class WebhookOptions : IOptionsDefaults
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

    /// <summary>An empty queue setting means the default queue, as an unset one does.</summary>
    public void ApplyDefaults(IHostEnvironment environment)
    {
        if (string.IsNullOrEmpty(Queue))
        {
            Queue = DefaultQueue;
        }
    }

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
