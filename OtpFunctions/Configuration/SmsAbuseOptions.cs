namespace OtpFunctions.Configuration;

/// <summary>Toll-fraud (SMS pumping) limits under <c>Otp:Sms</c>.</summary>
public sealed class SmsAbuseOptions
{
    /// <summary>Country calling codes ("1", "44") that may receive SMS; empty allows all.</summary>
    public SettingList AllowedCountryCodes { get; set => field = value ?? []; } = [];

    /// <summary>SMS per country calling code per <see cref="CountryWindow"/>; 0 means no budget.</summary>
    public int MaxSendsPerCountryCode { get; set; }

    public TimeSpan CountryWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>True when <see cref="AllowedCountryCodes"/> is empty or names this calling code.</summary>
    public bool Allows(int callingCode) =>
        AllowedCountryCodes.Count == 0
        || AllowedCountryCodes.Any(allowed => allowed.Trim().TrimStart('+') == callingCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
