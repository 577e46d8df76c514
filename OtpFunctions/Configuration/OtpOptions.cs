using System.ComponentModel.DataAnnotations;

namespace OtpFunctions.Configuration;

/// <summary>The limits and lifetimes under <c>Otp</c>; names and defaults are fixed by api.md.</summary>
public sealed class OtpOptions : IValidatableObject
{
    public const string Section = "Otp";

    [Range(4, 10)]
    public int CodeLength { get; set; } = 6;

    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    [Range(1, 100)]
    public int MaxVerifyAttempts { get; set; } = 5;

    public TimeSpan ResendCooldown { get; set; } = TimeSpan.FromSeconds(30);

    [Range(1, 1_000_000)]
    public int MaxSendsPerDestination { get; set; } = 5;

    public TimeSpan SendWindow { get; set; } = TimeSpan.FromMinutes(10);

    [Range(1, 100_000_000)]
    public int MaxSendsPerIp { get; set; } = 20;

    public TimeSpan IpWindow { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The <c>iss</c> and <c>aud</c> of session tokens (<c>Otp:Sessions</c>).</summary>
    public SessionTokenOptions Sessions { get; set; } = new();

    /// <summary>Wrong codes one destination may collect across challenges before it is blocked (NIST SP 800-63B allows at most 100).</summary>
    [Range(1, 100)]
    public int MaxFailuresPerDestination { get; set; } = 20;

    /// <summary>How long a destination's wrong codes are remembered; a correct code clears them.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Sends to all destinations per <see cref="GlobalWindow"/>; 0 means no global budget.</summary>
    [Range(0, int.MaxValue)]
    public int MaxSendsGlobal { get; set; }

    public TimeSpan GlobalWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>SMS pumping defence: which countries may receive codes, and how many per window each.</summary>
    public SmsAbuseOptions Sms { get; set; } = new();

    /// <summary>Proxies whose <c>X-Forwarded-For</c> is believed. The Functions host itself proxies from loopback.</summary>
    public string[] TrustedProxies { get; set; } = ["127.0.0.1", "::1"];

    /// <summary>Client-assigned managed identity used for storage, ACS and Key Vault when no connection string is set.</summary>
    public string? ManagedIdentityClientId { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value, min, max) in new[]
        {
            (nameof(CodeLifetime), CodeLifetime, TimeSpan.FromSeconds(30), TimeSpan.FromDays(1)),
            (nameof(ResendCooldown), ResendCooldown, TimeSpan.Zero, TimeSpan.FromHours(1)),
            (nameof(SendWindow), SendWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)),
            (nameof(IpWindow), IpWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)),
            (nameof(SessionLifetime), SessionLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30)),
            (nameof(FailureWindow), FailureWindow, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30)),
            (nameof(GlobalWindow), GlobalWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)),
            ("Sms:" + nameof(SmsAbuseOptions.CountryWindow), Sms.CountryWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)),
        })
        {
            if (value < min || value > max)
            {
                yield return new ValidationResult($"Otp:{name} must be between {min:c} and {max:c}; it is {value:c}.", [name]);
            }
        }

        foreach (var code in Sms.AllowedCountryCodes)
        {
            if (!int.TryParse(code.TrimStart('+'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number is < 1 or > 999)
            {
                yield return new ValidationResult($"Otp:Sms:AllowedCountryCodes holds '{code}', which is not a country calling code such as 1 or 44.", ["Sms"]);
            }
        }

        if (Sms.MaxSendsPerCountryCode < 0)
        {
            yield return new ValidationResult("Otp:Sms:MaxSendsPerCountryCode must be 0 (off) or more.", ["Sms"]);
        }

        foreach (var problem in Sessions.Problems())
        {
            yield return new ValidationResult(problem, [nameof(Sessions)]);
        }

        foreach (var proxy in TrustedProxies)
        {
            if (!System.Net.IPNetwork.TryParse(proxy, out _) && !System.Net.IPAddress.TryParse(proxy, out _))
            {
                yield return new ValidationResult($"Otp:TrustedProxies holds '{proxy}', which is neither an IP address nor a CIDR range.", [nameof(TrustedProxies)]);
            }
        }
    }
}

/// <summary>Where the service keeps its rows and messages.</summary>
public sealed class StorageNames
{
    /// <summary>Table holding challenges, limits, sessions and idempotency records.</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "Otp:Storage:Table must be 3-63 letters or digits, starting with a letter.")]
    public string Table { get; set; } = "otp";

    /// <summary>The flat app setting naming the delivery queue: trigger bindings read it as <c>%OTP_DELIVERY_QUEUE%</c>,
    /// and a flat name is what Linux app settings and the Flex scale controller resolve without translation.</summary>
    public const string QueueSetting = "OTP_DELIVERY_QUEUE";

    /// <summary>The flat app setting holding the sweeper's NCRONTAB schedule (<c>%OTP_SWEEP_SCHEDULE%</c>).</summary>
    public const string SweepScheduleSetting = "OTP_SWEEP_SCHEDULE";

    /// <summary>The delivery queue; the queue trigger reads the same setting.</summary>
    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", ErrorMessage = "OTP_DELIVERY_QUEUE must be a valid queue name (3-63 lowercase letters, digits, single hyphens).")]
    public string Queue { get; set; } = "otp-delivery";

    public string PoisonQueue => Queue + "-poison";
}

/// <summary>Toll-fraud (SMS pumping) limits under <c>Otp:Sms</c>.</summary>
public sealed class SmsAbuseOptions
{
    /// <summary>Country calling codes ("1", "44") that may receive SMS; empty allows all.</summary>
    public string[] AllowedCountryCodes { get; set; } = [];

    /// <summary>SMS per country calling code per <see cref="CountryWindow"/>; 0 means no budget.</summary>
    public int MaxSendsPerCountryCode { get; set; }

    public TimeSpan CountryWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>True when <see cref="AllowedCountryCodes"/> is empty or names this calling code.</summary>
    public bool Allows(int callingCode) =>
        AllowedCountryCodes.Length == 0
        || AllowedCountryCodes.Any(allowed => allowed.Trim().TrimStart('+') == callingCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>
/// Who issues session tokens and for whom. An issuer that is an absolute URL (the deployment's public base
/// URL, with the <c>/api</c> prefix) turns on OpenID discovery; the defaults keep tokens issued before it valid.
/// </summary>
public sealed class SessionTokenOptions
{
    public const string DefaultName = "otp-functions";

    public string Issuer { get; set; } = DefaultName;

    public string Audience { get; set; } = DefaultName;

    /// <summary>The issuer as a URL when it is one that discovery may publish; null for a plain name.</summary>
    public Uri? IssuerUrl => Uri.TryCreate(Issuer, UriKind.Absolute, out var url) && url.Scheme is "https" or "http" ? url : null;

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Issuer) || Issuer.Length > 512)
        {
            yield return "Otp:Sessions:Issuer must be a name or the public base URL (https://otp.example.com/api), at most 512 characters.";
        }
        else if (IssuerUrl is { } url)
        {
            // Discovery clients fetch <issuer>/.well-known/openid-configuration and compare issuers as strings:
            // plain http would let anyone on the path swap the keys, and a trailing slash or query breaks the match.
            if (url.Scheme == "http" && !url.IsLoopback)
            {
                yield return $"Otp:Sessions:Issuer must use https (http is accepted only for 127.0.0.1 or localhost); it is {Issuer}.";
            }

            if (Issuer.EndsWith('/') || url.Query.Length > 0 || url.Fragment.Length > 0)
            {
                yield return $"Otp:Sessions:Issuer must be a base URL without a trailing slash, query or fragment (https://otp.example.com/api); it is {Issuer}.";
            }
        }

        if (string.IsNullOrWhiteSpace(Audience) || Audience.Length > 512)
        {
            yield return "Otp:Sessions:Audience must be set (at most 512 characters): the name your backends expect in aud.";
        }
    }
}
