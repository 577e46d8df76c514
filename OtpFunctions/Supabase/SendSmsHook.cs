using System.Text.Json;
using OtpFunctions.Challenges;

namespace OtpFunctions.Supabase;

/// <summary>
/// Supabase Auth's Send SMS hook payload, <c>{"user": {..., "phone"}, "sms": {"otp", "phone"?}}</c>: one code to one
/// phone. Supabase stores numbers without the leading <c>+</c>, so one is added when missing.
/// </summary>
public static class SendSmsHook
{
    public static Result<IReadOnlyList<HookMessage>> Parse(JsonElement root, Channel channel)
    {
        var user = HookFields.Object(root, "user");
        var sms = HookFields.Object(root, "sms");
        if (user.ValueKind != JsonValueKind.Object || sms.ValueKind != JsonValueKind.Object)
        {
            return ApiError.InvalidRequest("The body must be Supabase's Send SMS hook payload, with user and sms objects.");
        }

        var code = HookFields.Code(sms, "otp", "sms.otp");
        if (code.Error is { } codeError)
        {
            return codeError;
        }

        // Newer Supabase Auth names the number in sms.phone: the new number of a phone change, an MFA factor's number.
        var phone = HookFields.String(sms, "phone") ?? HookFields.String(user, "phone");
        if (phone is null)
        {
            return ApiError.InvalidRequest("user.phone is required: Supabase sends the user's phone number.");
        }

        if (!Destination.TryParse(channel, WithPlus(phone), out var destination, out _))
        {
            return ApiError.InvalidRequest("The phone number (sms.phone or user.phone) is not a valid number with its country code.");
        }

        return new[] { new HookMessage(destination!, code.Value!, Template: null, HookFields.Locale(user)) };
    }

    private static string WithPlus(string phone)
    {
        var compact = phone.Replace(" ", "", StringComparison.Ordinal).Trim();
        return compact.StartsWith('+') ? compact : "+" + compact;
    }
}
