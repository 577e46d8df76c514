using System.Net.Mail;
using System.Text.RegularExpressions;
using PhoneNumbers;

namespace OtpFunctions.Challenges;

/// <summary>A validated, normalised phone number or email address, and how it may be shown.</summary>
public sealed partial record Destination(Channel Channel, string Normalized)
{
    /// <summary>The country calling code of a phone number (1, 44, …); null for email.</summary>
    public int? CallingCode { get; init; }

    /// <summary>What kind of line a phone number is (mobile, fixed, premium-rate…), by libphonenumber's metadata; null for email.</summary>
    public PhoneNumberType? NumberType { get; init; }

    private const int MaxEmailLength = 254;
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>The form shown in answers and logs: enough to recognise, not enough to contact.</summary>
    public string Masked => Mask(Channel, Normalized);

    public static bool TryParse(Channel channel, string to, out Destination? destination, out string error)
    {
        var trimmed = to.Trim();
        destination = channel.IsPhone() ? ParsePhone(channel, trimmed, out error) : ParseEmail(trimmed, out error);
        return destination is not null;
    }

    private static Destination? ParsePhone(Channel channel, string trimmed, out string error)
    {
        error = string.Empty;
        if (!E164Shape().IsMatch(trimmed))
        {
            error = "to must be a phone number in E.164 form, such as +14155550100.";
            return null;
        }

        var number = TryParseNumber(trimmed);
        if (number is null || !Phones.IsValidNumber(number))
        {
            error = "to is not a valid phone number.";
            return null;
        }

        return new Destination(channel, Phones.Format(number, PhoneNumberFormat.E164)) { CallingCode = number.CountryCode, NumberType = Phones.GetNumberType(number) };
    }

    /// <summary>The calling code of a stored E.164 number, for rows written without one; null when it does not parse.</summary>
    public static int? CallingCodeOf(string e164) => TryParseNumber(e164)?.CountryCode;

    private static PhoneNumber? TryParseNumber(string e164)
    {
        try
        {
            return Phones.Parse(e164, null);
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    private static Destination? ParseEmail(string trimmed, out string error)
    {
        error = string.Empty;
        if (trimmed.Length > MaxEmailLength || !EmailShape().IsMatch(trimmed) || !MailAddress.TryCreate(trimmed, out var address) || address.Address != trimmed)
        {
            error = "to must be a valid email address, such as ada@example.com.";
            return null;
        }

        // Mailbox names are case-insensitive in practice; lower-casing makes limits and supersession see one person.
        return new Destination(Channel.Email, trimmed.ToLowerInvariant());
    }

    /// <summary>Digits a phone mask always hides, however short the number: 10^4 candidates at least.</summary>
    public const int MinHiddenPhoneDigits = 4;

    public static string Mask(Channel channel, string normalized)
    {
        if (channel.IsPhone())
        {
            // +14155550100 -> +1415*****00: country and area code stay readable. Short numbers give up
            // their trailing, then their leading digits first: at least four digits are always hidden.
            var digits = normalized.Length - 1;
            var tail = Math.Clamp(digits - MinHiddenPhoneDigits, 0, 2);
            var head = Math.Clamp(digits - MinHiddenPhoneDigits - tail, 0, 4);
            return string.Concat(normalized.AsSpan(0, 1 + head), new string('*', digits - head - tail), normalized.AsSpan(normalized.Length - tail));
        }

        // a***@example.com whatever the local part's length: the mask must not narrow the guess to one length.
        var at = normalized.LastIndexOf('@');
        return string.Concat(normalized.AsSpan(0, 1), "***", normalized.AsSpan(at));
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}\z")]
    private static partial Regex E164Shape();

    // A pragmatic subset of RFC 5322: what real inboxes use, nothing that needs quoting.
    [GeneratedRegex(@"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\z")]
    private static partial Regex EmailShape();
}
