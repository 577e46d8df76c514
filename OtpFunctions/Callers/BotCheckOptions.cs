using OtpFunctions.Configuration;

namespace OtpFunctions.Callers;

/// <summary><c>Otp:BotCheck</c>: which provider checks the <c>X-Bot-Token</c> of anonymous senders.</summary>
public sealed class BotCheckOptions
{
    public const string DefaultAction = "send";

    public BotCheckProvider Provider { get; set; }

    /// <summary>Public: the demo page renders the widget with it.</summary>
    public string? SiteKey { get; set; }

    public string? Secret { get; set; }

    public string? VerifyEndpoint { get; set; }

    /// <summary>Lowest reCAPTCHA v3 score accepted (Google suggests starting at 0.5).</summary>
    public double MinScore { get; set; } = 0.5;

    /// <summary>
    /// Where a token must have been solved (the provider's <c>hostname</c>, or reCAPTCHA's <c>apk_package_name</c> for
    /// an Android app): our public site key works on any page, so without this a token solved on an attacker's page
    /// passes. <c>*.example.com</c> takes any subdomain. Required with a provider outside Development.
    /// </summary>
    public SettingList Hostnames { get; set => field = value ?? []; } = [];

    /// <summary>The action a token must name when the provider reports one (Turnstile, reCAPTCHA v3); empty accepts any.</summary>
    public string? Action { get; set; } = DefaultAction;

    /// <summary>Send anyway while the provider does not answer. Off: an outage must not become a free pass.</summary>
    public bool FailOpen { get; set; }

    public bool Enabled => Provider != BotCheckProvider.None;

    /// <summary>The configured endpoint, else the one each provider documents.</summary>
    public Uri Endpoint => VerifyEndpoint is { Length: > 0 } configured ? new Uri(configured) : Provider switch
    {
        BotCheckProvider.Turnstile => new Uri("https://challenges.cloudflare.com/turnstile/v0/siteverify"),
        BotCheckProvider.HCaptcha => new Uri("https://api.hcaptcha.com/siteverify"),
        BotCheckProvider.Recaptcha => new Uri("https://www.google.com/recaptcha/api/siteverify"),
        _ => throw new InvalidOperationException("No bot check is configured."),
    };
}
