using System.Net.Mail;
using System.Text.RegularExpressions;
using OtpFunctions.Delivery;
using PhoneNumbers;

namespace OtpFunctions.Challenges;

/// <summary>A validated, normalised phone number or email address, and how it may be shown.</summary>
public sealed partial record Destination(Channel Channel, string Normalized)
{
    /// <summary>The country calling code of a phone number (1, 44, …); null for email.</summary>
    public int? CallingCode { get; init; }

    private const int MaxEmailLength = 254;
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>The form shown in answers and logs: enough to recognise, not enough to contact.</summary>
    public string Masked => Mask(Channel, Normalized);

    public static bool TryParse(Channel channel, string to, out Destination? destination, out string error)
    {
        destination = null;
        error = string.Empty;
        var trimmed = to.Trim();
        if (channel == Channel.Sms)
        {
            if (!E164Shape().IsMatch(trimmed))
            {
                error = "to must be a phone number in E.164 form, such as +14155550100.";
                return false;
            }

            try
            {
                var number = Phones.Parse(trimmed, null);
                if (!Phones.IsValidNumber(number))
                {
                    error = "to is not a valid phone number.";
                    return false;
                }

                destination = new Destination(channel, Phones.Format(number, PhoneNumberFormat.E164)) { CallingCode = number.CountryCode };
                return true;
            }
            catch (NumberParseException)
            {
                error = "to is not a valid phone number.";
                return false;
            }
        }

        if (trimmed.Length > MaxEmailLength || !EmailShape().IsMatch(trimmed) || !MailAddress.TryCreate(trimmed, out var address) || address.Address != trimmed)
        {
            error = "to must be a valid email address, such as ada@example.com.";
            return false;
        }

        // Mailbox names are case-insensitive in practice; lower-casing makes limits and supersession see one person.
        destination = new Destination(channel, trimmed.ToLowerInvariant());
        return true;
    }

    public static string Mask(Channel channel, string normalized)
    {
        if (channel == Channel.Sms)
        {
            // +14155550100 -> +1415*****00: country and area code stay readable.
            var keep = Math.Min(5, normalized.Length - 2);
            return string.Concat(normalized.AsSpan(0, keep), new string('*', normalized.Length - keep - 2), normalized.AsSpan(normalized.Length - 2));
        }

        var at = normalized.LastIndexOf('@');
        var local = normalized[..at];
        var shown = local.Length > 2 ? 1 : 0;
        return string.Concat(local.AsSpan(0, shown), new string('*', Math.Max(2, local.Length - shown)), normalized.AsSpan(at));
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}\z")]
    private static partial Regex E164Shape();

    // A pragmatic subset of RFC 5322: what real inboxes use, nothing that needs quoting.
    [GeneratedRegex(@"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\z")]
    private static partial Regex EmailShape();
}
