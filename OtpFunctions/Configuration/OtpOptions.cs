namespace OtpFunctions.Configuration;

/// <summary>The limits and lifetimes under <c>Otp</c>; names and defaults are fixed by api.md.</summary>
public sealed class OtpOptions
{
    public const string Section = SettingNames.Otp;

    /// <summary>The bounds of <see cref="CodeLength"/>; openapi.json's code schema states them too.</summary>
    public const int MinCodeLength = 4;

    public const int MaxCodeLength = 10;

    public int CodeLength { get; set; } = 6;

    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    public int MaxVerifyAttempts { get; set; } = 5;

    public TimeSpan ResendCooldown { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxSendsPerDestination { get; set; } = 5;

    public TimeSpan SendWindow { get; set; } = TimeSpan.FromMinutes(10);

    public int MaxSendsPerIp { get; set; } = 20;

    public TimeSpan IpWindow { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The <c>iss</c> and <c>aud</c> of session tokens (<c>Otp:Sessions</c>).</summary>
    public SessionTokenOptions Sessions { get; set; } = new();

    /// <summary>Wrong codes one destination may collect across challenges before it is blocked (NIST SP 800-63B allows at most 100).</summary>
    public int MaxFailuresPerDestination { get; set; } = 20;

    /// <summary>How long a destination's wrong codes are remembered; a correct code clears them.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Phone-channel sends to all destinations per <see cref="GlobalWindow"/>, a hard ceiling; 0 means no global budget.</summary>
    public int MaxSendsGlobal { get; set; }

    public TimeSpan GlobalWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The email channel's own global budget (<c>Otp:Email</c>): the provider's quota, Entra and Supabase relays included.</summary>
    public EmailBudgetOptions Email { get; set; } = new();

    /// <summary>
    /// The share of each global budget callers without an API key may use; the rest stays for server callers and
    /// relays, so an anonymous flood cannot starve them.
    /// </summary>
    public double AnonymousShare { get; set; } = 0.8;

    /// <summary>SMS pumping defence: which countries may receive codes, and how many per window each.</summary>
    public SmsAbuseOptions Sms { get; set; } = new();

    /// <summary>Proxies whose <c>X-Forwarded-For</c> is believed. The Functions host itself proxies from loopback.</summary>
    public string[] TrustedProxies { get; set; } = ["127.0.0.1", "::1"];

    /// <summary>Client-assigned managed identity used for storage, ACS and Key Vault when no connection string is set.</summary>
    public string? ManagedIdentityClientId { get; set; }
}
