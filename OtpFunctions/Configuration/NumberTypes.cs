using PhoneNumbers;

namespace OtpFunctions.Configuration;

/// <summary>
/// libphonenumber's number types as <c>Otp:Sms:AllowedNumberTypes</c> names them (<c>Mobile</c>, <c>FixedLineOrMobile</c>,
/// <c>PremiumRate</c>…), and which of them each phone channel may reach.
/// </summary>
public static class NumberTypes
{
    /// <summary>Numbers a person answers: what phone channels reach unless configured otherwise.</summary>
    public static readonly IReadOnlyList<PhoneNumberType> Default = [PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.VOIP];

    public static IEnumerable<string> Names => Enum.GetValues<PhoneNumberType>().Select(Name);

    public static string Name(PhoneNumberType type) =>
        string.Concat(type.ToString().Split('_').Select(word => word[..1] + word[1..].ToLowerInvariant()));

    public static bool TryParse(string name, out PhoneNumberType type)
    {
        var wanted = name.Trim().Replace("_", "", StringComparison.Ordinal);
        type = Enum.GetValues<PhoneNumberType>().FirstOrDefault(candidate => string.Equals(Name(candidate), wanted, StringComparison.OrdinalIgnoreCase));
        return string.Equals(Name(type), wanted, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The types a channel may reach: the configured ones (or <see cref="Default"/>), and for a voice call also fixed
    /// lines, which take a call but not a text.
    /// </summary>
    public static bool Allows(IReadOnlyCollection<string> configured, PhoneNumberType type, bool voiceCall)
    {
        var allowed = configured.Count == 0
            ? Default
            : configured.Select(name => TryParse(name, out var parsed) ? parsed : (PhoneNumberType?)null).OfType<PhoneNumberType>().ToList();
        return allowed.Contains(type) || (voiceCall && type == PhoneNumberType.FIXED_LINE);
    }
}
