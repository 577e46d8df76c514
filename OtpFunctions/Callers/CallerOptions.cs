using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using OtpFunctions.Configuration;

namespace OtpFunctions.Callers;

/// <summary>
/// Who may call and how they prove it: the purposes open to anonymous callers (<c>Otp:AllowedPurposes</c>),
/// the server callers' API keys (<c>Otp:ApiKeys:&lt;name&gt;</c>) and the bot check (<c>Otp:BotCheck</c>).
/// </summary>
public sealed partial class CallerOptions
{
    public const string DefaultPurpose = "login";

    /// <summary>Sends a server caller may make per <c>Otp:IpWindow</c> when its <c>MaxSends</c> is not set.</summary>
    public const int DefaultServerMaxSends = 1000;

    /// <summary>Bound from <c>Otp</c>: its keys are <c>Otp:AllowedPurposes</c>, <c>Otp:ApiKeys</c> and <c>Otp:BotCheck</c>.</summary>
    public const string Section = SettingNames.Otp;

    /// <summary>Purposes open to anonymous callers; <see cref="DefaultPurpose"/> alone when none is configured.</summary>
    public SettingList AllowedPurposes { get; set => field = value ?? []; } = [];

    /// <summary>Server callers by name (<c>Otp:ApiKeys:&lt;name&gt;</c>).</summary>
    public Dictionary<string, ServerCallerOptions> ApiKeys { get; set => field = value ?? []; } = [];

    public BotCheckOptions BotCheck { get; set; } = new();

    /// <summary>Shared with the send request's own check, so configuration and requests obey one rule.</summary>
    [GeneratedRegex(@"^[a-z][a-z0-9_]{0,31}\z")]
    public static partial Regex PurposeShape();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\z")]
    internal static partial Regex NameShape();

    [GeneratedRegex(@"^[0-9a-f]{64}\z")]
    internal static partial Regex Sha256Shape();
}

/// <summary>One backend allowed to call with <c>X-Api-Key</c>.</summary>
public sealed class ServerCallerOptions
{
    /// <summary>The key under <c>Otp:ApiKeys</c>, set once bound (<see cref="CallerOptionsDefaults"/>).</summary>
    public string Name { get; internal set; } = "";

    /// <summary>Lowercase hex SHA-256 of each accepted key: two during a rotation.</summary>
    public SettingList Sha256 { get; set => field = value ?? []; } = [];

    /// <summary>Purposes this caller may use; null means any well-formed purpose.</summary>
    public SettingList? Purposes { get; set; }

    /// <summary>Sends per <c>Otp:IpWindow</c>: this caller's budget in place of the per-address one.</summary>
    public int MaxSends { get; set; } = CallerOptions.DefaultServerMaxSends;
}

public enum BotCheckProvider
{
    None,
    Turnstile,
    HCaptcha,
    Recaptcha,
}

/// <summary><c>Otp:BotCheck</c>: which provider checks the <c>X-Bot-Token</c> of anonymous senders.</summary>
public sealed class BotCheckOptions
{
    public BotCheckProvider Provider { get; set; }

    /// <summary>Public: the demo page renders the widget with it.</summary>
    public string? SiteKey { get; set; }

    public string? Secret { get; set; }

    public string? VerifyEndpoint { get; set; }

    /// <summary>Lowest reCAPTCHA v3 score accepted (Google suggests starting at 0.5).</summary>
    public double MinScore { get; set; } = 0.5;

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

/// <summary>Start-up checks whose messages name the key to fix and never echo a secret or key hash.</summary>
public sealed class CallerOptionsValidator : IValidateOptions<CallerOptions>
{
    public ValidateOptionsResult Validate(string? name, CallerOptions options)
    {
        var failures = new List<string>();
        foreach (var purpose in options.AllowedPurposes.Where(purpose => !CallerOptions.PurposeShape().IsMatch(purpose)))
        {
            failures.Add($"Otp:AllowedPurposes holds '{purpose}', which is not a purpose (1-32 lowercase letters, digits or underscores, starting with a letter).");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var caller in options.ApiKeys.Values)
        {
            var key = $"Otp:ApiKeys:{caller.Name}";
            if (!CallerOptions.NameShape().IsMatch(caller.Name))
            {
                failures.Add($"Otp:ApiKeys: a caller's name must be 1-64 letters, digits, '-' or '_' (it appears in metrics and logs).");
            }

            if (caller.Sha256.Count == 0)
            {
                failures.Add($"{key}:Sha256 must hold the lowercase hex SHA-256 of the caller's key (comma-separated to rotate).");
            }

            foreach (var hash in caller.Sha256)
            {
                if (!CallerOptions.Sha256Shape().IsMatch(hash))
                {
                    failures.Add($"{key}:Sha256 holds a value that is not 64 lowercase hex digits (a SHA-256 of the key, not the key itself).");
                }
                else if (!seen.Add(hash))
                {
                    failures.Add($"{key}:Sha256 repeats a hash already configured: one key must name one caller.");
                }
            }

            foreach (var purpose in (caller.Purposes ?? []).Where(purpose => !CallerOptions.PurposeShape().IsMatch(purpose)))
            {
                failures.Add($"{key}:Purposes holds '{purpose}', which is not a purpose (1-32 lowercase letters, digits or underscores).");
            }

            if (caller.MaxSends is < 1 or > 100_000_000)
            {
                failures.Add($"{key}:MaxSends must be a whole number from 1 to 100000000.");
            }
        }

        var bot = options.BotCheck;
        if (bot.Enabled)
        {
            if (string.IsNullOrWhiteSpace(bot.Secret))
            {
                failures.Add($"Otp:BotCheck:Secret is required with Otp:BotCheck:Provider {bot.Provider}.");
            }

            if (bot.VerifyEndpoint is { Length: > 0 } endpoint && !IsAllowedEndpoint(endpoint))
            {
                failures.Add("Otp:BotCheck:VerifyEndpoint must be an absolute https URL (http://127.0.0.1:… is accepted for local fakes).");
            }
        }

        if (bot.MinScore is < 0 or > 1 || double.IsNaN(bot.MinScore))
        {
            failures.Add("Otp:BotCheck:MinScore must be between 0 and 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsAllowedEndpoint(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.Host == "127.0.0.1"));
}
