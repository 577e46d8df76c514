using System.Text.Json;
using System.Text.RegularExpressions;
using OtpFunctions.Sending;

namespace OtpFunctions.Supabase;

/// <summary>
/// Reads the fields of Supabase's hook payloads that matter here and nothing more: the user object and its
/// metadata carry many fields Supabase adds to over time, and a refusal fails the user's sign-in.
/// </summary>
internal static partial class HookFields
{
    /// <summary>The object at <paramref name="name"/> in <paramref name="parent"/>, or default when absent or not an object.</summary>
    public static JsonElement Object(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : default;

    /// <summary>A non-empty string at <paramref name="name"/>, or null (absent, empty, another type, or no valid text).</summary>
    public static string? String(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return value.GetString() is { Length: > 0 } text ? text : null;
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escape is valid JSON but no text.
            return null;
        }
    }

    /// <summary>The code Supabase generated, refused when it is not the letters and digits a code is.</summary>
    public static Result<string> Code(JsonElement parent, string name, string path) =>
        String(parent, name) is { } code && CodeShape().IsMatch(code)
            ? code
            : ApiError.InvalidRequest($"{path} must be Supabase's code: 4-16 letters or digits.");

    /// <summary>
    /// The user's language, when the app keeps one in <c>user_metadata</c> (<c>locale</c>, or <c>i18n</c> as Supabase's
    /// own internationalisation example does); English otherwise.
    /// </summary>
    public static string Locale(JsonElement user)
    {
        var metadata = Object(user, "user_metadata");
        return SendRequest.NormalizeLocale(String(metadata, "locale") ?? String(metadata, "i18n"));
    }

    [GeneratedRegex(@"^[A-Za-z0-9]{4,16}\z")]
    private static partial Regex CodeShape();
}
