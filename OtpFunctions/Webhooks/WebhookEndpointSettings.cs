namespace OtpFunctions.Webhooks;

/// <summary>One endpoint as configured under <c>Otp:Webhooks:&lt;name&gt;</c>, kept raw so the validator can name each bad key (never a secret's value).</summary>
public sealed class WebhookEndpointSettings
{
    /// <summary>Empty turns the endpoint off: how a deployment template leaves a slot unused.</summary>
    public string? Url { get; set; }

    public string? Secret { get; set; }

    /// <summary>Comma-separated event names; empty subscribes to all.</summary>
    public string? Events { get; set; }
}
