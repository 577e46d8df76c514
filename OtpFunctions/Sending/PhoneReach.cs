using OtpFunctions.Configuration;
using PhoneNumbers;

namespace OtpFunctions.Sending;

/// <summary>
/// Which phone numbers a phone channel may reach at all: a calling code on <c>Otp:Sms:AllowedCountryCodes</c>, and a
/// number type on <c>Otp:Sms:AllowedNumberTypes</c> (premium-rate, shared-cost and the like are where pumping pays).
/// </summary>
public sealed class PhoneReach(IOptions<OtpOptions> options)
{
    private readonly SmsAbuseOptions sms = options.Value.Sms;

    /// <summary>
    /// Why <paramref name="channel"/> may not go to a number of <paramref name="callingCode"/> and
    /// <paramref name="numberType"/> (unknown at a resend, where the first send checked it), or null when it may.
    /// </summary>
    public ApiError? Refusal(Channel channel, int callingCode, PhoneNumberType? numberType)
    {
        if (!sms.Allows(callingCode))
        {
            return ApiError.InvalidRequest($"Codes to +{callingCode} numbers are not enabled on this service.");
        }

        return numberType is { } type && !NumberTypes.Allows(sms.AllowedNumberTypes, type, voiceCall: channel == Channel.Voice)
            ? ApiError.InvalidRequest($"This number is a {Describe(type)} number, which cannot receive codes by {channel.ToWire()} on this service.")
            : null;
    }

    private static string Describe(PhoneNumberType type) => type switch
    {
        PhoneNumberType.UNKNOWN => "unrecognised kind of",
        PhoneNumberType.FIXED_LINE => "fixed-line",
        PhoneNumberType.PREMIUM_RATE => "premium-rate",
        PhoneNumberType.TOLL_FREE => "toll-free",
        PhoneNumberType.SHARED_COST => "shared-cost",
        PhoneNumberType.PERSONAL_NUMBER => "personal (forwarding)",
        PhoneNumberType.UAN => "universal access (UAN)",
        _ => NumberTypes.Name(type).ToLowerInvariant(),
    };
}
