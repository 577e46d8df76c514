using OtpFunctions.Configuration;

namespace OtpFunctions.Fraud;

/// <summary>
/// <c>Otp:FraudGuard</c>: per number prefix, how many judged phone sends and which verified share make it look pumped
/// (api.md "Fraud guard"). On (<see cref="FraudGuardMode.Block"/>) unless configured otherwise.
/// </summary>
public sealed class FraudGuardOptions
{
    public const string Section = SettingNames.FraudGuard;

    public FraudGuardMode Mode { get; set; } = FraudGuardMode.Block;

    /// <summary>National digits after the calling code that make a prefix: 3 turns +2348031234567 into +234803.</summary>
    public int PrefixDigits { get; set; } = 3;

    /// <summary>How far back sends are judged.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a code has to be verified before its send counts as unconverted.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The least judged sends before a prefix can be blocked: a few unlucky users are no evidence.</summary>
    public int MinSends { get; set; } = 20;

    /// <summary>The least verified share of judged sends; below it the prefix looks pumped.</summary>
    public double MinConversion { get; set; } = 0.2;

    public TimeSpan BlockFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Prefixes never judged (<c>+1,+4479</c>): every number that starts with one of them is neither counted nor refused.</summary>
    public SettingList ExemptPrefixes { get; set => field = value ?? []; } = [];

    public bool IsExempt(string e164) =>
        ExemptPrefixes.Any(exempt => e164.StartsWith("+" + exempt.Trim().TrimStart('+'), StringComparison.Ordinal));
}
