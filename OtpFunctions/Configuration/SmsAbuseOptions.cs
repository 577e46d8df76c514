namespace OtpFunctions.Configuration;

/// <summary>Toll-fraud (SMS pumping) limits under <c>Otp:Sms</c>, for every phone channel.</summary>
public sealed class SmsAbuseOptions
{
    /// <summary>Country calling codes ("1", "44") that may receive SMS; empty allows all.</summary>
    public SettingList AllowedCountryCodes { get; set => field = value ?? []; } = [];

    /// <summary>
    /// The number types (libphonenumber's names) a phone channel may go to; a voice call also reaches fixed lines.
    /// Empty means <see cref="NumberTypes.Default"/>: premium-rate, shared-cost, toll-free, UAN, pager, personal and
    /// unknown numbers, where pumping pays, never get a code.
    /// </summary>
    public SettingList AllowedNumberTypes { get; set => field = value ?? []; } = [];

    /// <summary>SMS per country calling code per <see cref="CountryWindow"/>; 0 means no budget.</summary>
    public int MaxSendsPerCountryCode { get; set; }

    public TimeSpan CountryWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>True when <see cref="AllowedCountryCodes"/> is empty or names this calling code.</summary>
    public bool Allows(int callingCode) =>
        AllowedCountryCodes.Count == 0
        || AllowedCountryCodes.Any(allowed => allowed.Trim().TrimStart('+') == callingCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
