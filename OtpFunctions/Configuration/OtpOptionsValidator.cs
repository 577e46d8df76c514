using System.Globalization;
using System.Net;

namespace OtpFunctions.Configuration;

/// <summary>Limits and lifetimes inside the ranges api.md documents; each message names the key to fix.</summary>
public sealed class OtpOptionsValidator : IValidateOptions<OtpOptions>
{
    public ValidateOptionsResult Validate(string? name, OtpOptions options)
    {
        var proxies = options.TrustedProxies
            .Where(proxy => !IPNetwork.TryParse(proxy, out _) && !IPAddress.TryParse(proxy, out _))
            .Select(proxy => $"Otp:TrustedProxies holds '{proxy}', which is neither an IP address nor a CIDR range.");
        return SettingRules.Verdict([
            .. CountProblems(options),
            .. WindowProblems(options),
            .. SmsProblems(options.Sms),
            .. options.Sessions.Problems(),
            .. proxies]);
    }

    private static IEnumerable<string?> CountProblems(OtpOptions options) =>
    [
        SettingRules.Between("Otp:" + nameof(options.CodeLength), options.CodeLength, OtpOptions.MinCodeLength, OtpOptions.MaxCodeLength),
        SettingRules.Between("Otp:" + nameof(options.MaxVerifyAttempts), options.MaxVerifyAttempts, 1, 100),
        SettingRules.Between("Otp:" + nameof(options.MaxSendsPerDestination), options.MaxSendsPerDestination, 1, 1_000_000),
        SettingRules.Between("Otp:" + nameof(options.MaxSendsPerIp), options.MaxSendsPerIp, 1, 100_000_000),
        SettingRules.Between("Otp:" + nameof(options.MaxFailuresPerDestination), options.MaxFailuresPerDestination, 1, 100),
        SettingRules.Between("Otp:" + nameof(options.MaxSendsGlobal), options.MaxSendsGlobal, 0, int.MaxValue),
        SettingRules.Between("Otp:Email:" + nameof(options.Email.MaxSendsGlobal), options.Email.MaxSendsGlobal, 0, int.MaxValue),
        options.AnonymousShare is >= 0 and <= 1 ? null : $"Otp:AnonymousShare must be between 0 and 1 (a share such as 0.8); it is {options.AnonymousShare.ToString(CultureInfo.InvariantCulture)}.",
    ];

    private static IEnumerable<string> WindowProblems(OtpOptions options) =>
        new[]
        {
            (nameof(OtpOptions.CodeLifetime), options.CodeLifetime, TimeSpan.FromSeconds(30), TimeSpan.FromDays(1)),
            (nameof(OtpOptions.ResendCooldown), options.ResendCooldown, TimeSpan.Zero, TimeSpan.FromHours(1)),
            (nameof(OtpOptions.SendWindow), options.SendWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)),
            (nameof(OtpOptions.IpWindow), options.IpWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)),
            (nameof(OtpOptions.SessionLifetime), options.SessionLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30)),
            (nameof(OtpOptions.FailureWindow), options.FailureWindow, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30)),
            (nameof(OtpOptions.GlobalWindow), options.GlobalWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)),
            ("Email:" + nameof(EmailBudgetOptions.GlobalWindow), options.Email.GlobalWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)),
            ("Sms:" + nameof(SmsAbuseOptions.CountryWindow), options.Sms.CountryWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)),
        }
        .Where(window => window.Item2 < window.Item3 || window.Item2 > window.Item4)
        .Select(window => $"Otp:{window.Item1} must be between {window.Item3:c} and {window.Item4:c}; it is {window.Item2:c}.");

    private static IEnumerable<string> SmsProblems(SmsAbuseOptions sms)
    {
        foreach (var code in sms.AllowedCountryCodes)
        {
            if (!int.TryParse(code.TrimStart('+'), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 999)
            {
                yield return $"Otp:Sms:AllowedCountryCodes holds '{code}', which is not a country calling code such as 1 or 44.";
            }
        }

        foreach (var type in sms.AllowedNumberTypes.Where(type => !NumberTypes.TryParse(type, out _)))
        {
            yield return $"Otp:Sms:AllowedNumberTypes holds '{type}', which is not one of libphonenumber's number types ({string.Join(", ", NumberTypes.Names)}).";
        }

        if (sms.MaxSendsPerCountryCode < 0)
        {
            yield return "Otp:Sms:MaxSendsPerCountryCode must be 0 (off) or more.";
        }
    }
}
