using Microsoft.Extensions.Hosting;
using OtpFunctions.Configuration;

namespace OtpFunctions.Callers;

/// <summary>Start-up checks whose messages name the key to fix and never echo a secret or key hash.</summary>
public sealed class CallerOptionsValidator(IHostEnvironment environment) : IValidateOptions<CallerOptions>
{
    public ValidateOptionsResult Validate(string? name, CallerOptions options)
    {
        // One key must name one caller, so a hash is looked for across every caller.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return SettingRules.Verdict([
            .. options.AllowedPurposes.Where(purpose => !CallerOptions.PurposeShape().IsMatch(purpose))
                .Select(purpose => $"Otp:AllowedPurposes holds '{purpose}', which is not a purpose (1-32 lowercase letters, digits or underscores, starting with a letter)."),
            .. options.ApiKeys.Values.SelectMany(caller => ServerCallerProblems(caller, seen)),
            .. BotCheckProblems(options.BotCheck)]);
    }

    private static IEnumerable<string> ServerCallerProblems(ServerCallerOptions caller, HashSet<string> seen)
    {
        var key = $"Otp:ApiKeys:{caller.Name}";
        if (!CallerOptions.NameShape().IsMatch(caller.Name))
        {
            yield return "Otp:ApiKeys: a caller's name must be 1-64 letters, digits, '-' or '_' (it appears in metrics and logs).";
        }

        if (caller.Sha256.Count == 0)
        {
            yield return $"{key}:Sha256 must hold the lowercase hex SHA-256 of the caller's key (comma-separated to rotate).";
        }

        foreach (var hash in caller.Sha256)
        {
            if (!CallerOptions.Sha256Shape().IsMatch(hash))
            {
                yield return $"{key}:Sha256 holds a value that is not 64 lowercase hex digits (a SHA-256 of the key, not the key itself).";
            }
            else if (!seen.Add(hash))
            {
                yield return $"{key}:Sha256 repeats a hash already configured: one key must name one caller.";
            }
        }

        foreach (var purpose in (caller.Purposes ?? []).Where(purpose => !CallerOptions.PurposeShape().IsMatch(purpose)))
        {
            yield return $"{key}:Purposes holds '{purpose}', which is not a purpose (1-32 lowercase letters, digits or underscores).";
        }

        if (caller.MaxSends is < 1 or > 100_000_000)
        {
            yield return $"{key}:MaxSends must be a whole number from 1 to 100000000.";
        }
    }

    private IEnumerable<string> BotCheckProblems(BotCheckOptions bot)
    {
        if (bot.Enabled && string.IsNullOrWhiteSpace(bot.Secret))
        {
            yield return $"Otp:BotCheck:Secret is required with Otp:BotCheck:Provider {bot.Provider}.";
        }

        if (bot.Enabled && bot.VerifyEndpoint is { Length: > 0 } endpoint && !IsAllowedEndpoint(endpoint))
        {
            yield return "Otp:BotCheck:VerifyEndpoint must be an absolute https URL (http://127.0.0.1:… is accepted for local fakes).";
        }

        if (bot.MinScore is < 0 or > 1 || double.IsNaN(bot.MinScore))
        {
            yield return "Otp:BotCheck:MinScore must be between 0 and 1.";
        }

        if (bot.Provider == BotCheckProvider.HCaptcha && string.IsNullOrWhiteSpace(bot.SiteKey))
        {
            yield return "Otp:BotCheck:SiteKey is required with Otp:BotCheck:Provider HCaptcha: it is sent with each check, so a token made for another site is refused.";
        }

        foreach (var problem in HostnameProblems(bot))
        {
            yield return problem;
        }
    }

    private IEnumerable<string> HostnameProblems(BotCheckOptions bot)
    {
        // Our site key is public: without the hostnames, a token solved on an attacker's own page passes.
        if (bot.Enabled && bot.Hostnames.Count == 0 && !environment.IsDevelopment())
        {
            yield return $"Otp:BotCheck:Hostnames is required with Otp:BotCheck:Provider {bot.Provider} outside Development: the hostnames your pages are served from (example.com,www.example.com; *.example.com for any subdomain), so tokens solved on other sites are refused.";
        }

        foreach (var hostname in bot.Hostnames.Where(hostname => !IsHostname(hostname)))
        {
            yield return $"Otp:BotCheck:Hostnames holds '{hostname}', which is not a hostname (no scheme, port or path: www.example.com, or *.example.com).";
        }
    }

    private static bool IsHostname(string value)
    {
        var name = value.StartsWith("*.", StringComparison.Ordinal) ? value[2..] : value;
        return Uri.CheckHostName(name) is UriHostNameType.Dns or UriHostNameType.IPv4 && !name.Contains('*', StringComparison.Ordinal);
    }

    private static bool IsAllowedEndpoint(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.Host == "127.0.0.1"));
}
