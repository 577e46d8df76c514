using System.Globalization;
using System.Text.RegularExpressions;
using PhoneNumbers;

namespace OtpFunctions.Fraud;

/// <summary>
/// A number range as the fraud guard sees it: the calling code and the first national digits (+234803 for
/// +2348031234567). Pumping rents ranges from one operator, so a range is what gets judged and blocked.
/// </summary>
public static partial class PhonePrefix
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>The prefix of an E.164 number with <paramref name="digits"/> national digits; null when it is not a number.</summary>
    public static string? Of(string e164, int digits)
    {
        try
        {
            var number = Phones.Parse(e164, null);
            var national = Phones.GetNationalSignificantNumber(number);
            return "+" + number.CountryCode.ToString(CultureInfo.InvariantCulture) + national[..Math.Min(digits, national.Length)];
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>The calling code a prefix starts with (234 for +234803); 0 when it starts with none.</summary>
    public static int CallingCodeOf(string prefix)
    {
        // Calling codes are prefix-free: the first known one, one to three digits long, is the one.
        var digits = prefix.TrimStart('+');
        for (var length = 1; length <= Math.Min(3, digits.Length); length++)
        {
            var code = int.Parse(digits.AsSpan(0, length), CultureInfo.InvariantCulture);
            if (Phones.GetRegionCodeForCountryCode(code) != "ZZ")
            {
                return code;
            }
        }

        return 0;
    }

    /// <summary>A prefix as an operator writes it: <c>+234803</c>, or <c>234803</c> when the <c>+</c> was lost on the way.</summary>
    public static bool TryParse(string? text, out string prefix)
    {
        var trimmed = text?.Trim() ?? "";
        prefix = "+" + trimmed.TrimStart('+');
        return Shape().IsMatch(trimmed);
    }

    [GeneratedRegex(@"^\+?[1-9][0-9]{0,15}\z")]
    private static partial Regex Shape();
}
