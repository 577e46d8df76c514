using System.Text.Json;
using OtpFunctions.Challenges;

namespace OtpFunctions.Supabase;

/// <summary>
/// Supabase Auth's Send Email hook payload, <c>{"user", "email_data": {"token", "token_hash", "redirect_to",
/// "email_action_type", "site_url", "token_new", "token_hash_new"}}</c>: the code goes to <c>user.email</c> in the
/// template of its <c>email_action_type</c>. An email change goes to the new address; with Supabase's Secure Email
/// Change on, a second code goes too: <c>token</c> to the current address and <c>token_new</c> to the new one.
/// </summary>
public static class SendEmailHook
{
    /// <summary>The action types that carry a code, and the template each is written in.</summary>
    public static readonly IReadOnlyDictionary<string, string> Templates = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["signup"] = "supabase-signup",
        ["invite"] = "supabase-invite",
        ["magiclink"] = "supabase-magiclink",
        // The email OTP type Supabase verifies sign-in codes under: a sign-in code like a magic link's.
        ["email"] = "supabase-magiclink",
        ["recovery"] = "supabase-recovery",
        ["email_change"] = "supabase-email-change",
        ["reauthentication"] = "supabase-reauthentication",
    };

    public static Result<IReadOnlyList<HookMessage>> Parse(JsonElement root)
    {
        var user = HookFields.Object(root, "user");
        var data = HookFields.Object(root, "email_data");
        if (user.ValueKind != JsonValueKind.Object || data.ValueKind != JsonValueKind.Object)
        {
            return ApiError.InvalidRequest("The body must be Supabase's Send Email hook payload, with user and email_data objects.");
        }

        var action = HookFields.String(data, "email_action_type");
        if (action is null || !Templates.TryGetValue(action, out var template))
        {
            // Supabase's security notifications carry no code; a refusal there is logged by Supabase, not shown to the user.
            return ApiError.InvalidRequest(
                "email_action_type must be one that carries a code (signup, invite, magiclink, recovery, email_change, reauthentication): this service delivers Supabase's codes, not its notifications.");
        }

        var code = HookFields.Code(data, "token", "email_data.token");
        if (code.Error is { } codeError)
        {
            return codeError;
        }

        var locale = HookFields.Locale(user);
        return action == "email_change"
            ? EmailChange(user, data, code.Value!, template, locale)
            : One(HookFields.String(user, "email"), "user.email", code.Value!, template, locale);
    }

    /// <summary>
    /// One code to the new address, or with Secure Email Change (<c>token_new</c> present) one to each: Supabase puts
    /// the current address's code in <c>token</c> and the new address's in <c>token_new</c>.
    /// </summary>
    private static Result<IReadOnlyList<HookMessage>> EmailChange(JsonElement user, JsonElement data, string token, string template, string locale)
    {
        // Supabase Auth serialises the pending address as new_email; its documentation calls it email_new.
        var newAddress = HookFields.String(user, "new_email") ?? HookFields.String(user, "email_new");
        if (HookFields.String(data, "token_new") is null)
        {
            return One(newAddress, "user.new_email", token, template, locale);
        }

        var tokenNew = HookFields.Code(data, "token_new", "email_data.token_new");
        if (tokenNew.Error is { } tokenNewError)
        {
            return tokenNewError;
        }

        var current = One(HookFields.String(user, "email"), "user.email", token, template, locale);
        var next = One(newAddress, "user.new_email", tokenNew.Value!, template, locale);
        if ((current.Error ?? next.Error) is { } error)
        {
            return error;
        }

        return new[] { current.Value![0], next.Value![0] };
    }

    private static Result<IReadOnlyList<HookMessage>> One(string? address, string path, string code, string template, string locale)
    {
        if (address is null || !Destination.TryParse(Channel.Email, address, out var destination, out _))
        {
            return ApiError.InvalidRequest($"{path} must be the user's email address.");
        }

        return new[] { new HookMessage(destination!, code, template, locale) };
    }
}
