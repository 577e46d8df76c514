using System.Text.Json;
using System.Text.RegularExpressions;
using OtpFunctions.Challenges;
using OtpFunctions.Sending;

namespace OtpFunctions.Entra;

/// <summary>
/// A validated <c>microsoft.graph.authenticationEvent.emailOtpSend</c> request (Entra's "OnOtpSend event
/// reference"): where to send, the code Entra generated, and the language of the sign-in page.
/// </summary>
public sealed partial record OtpSendEvent(Destination Destination, string Code, string Locale, Guid? CorrelationId)
{
    public const string EventType = "microsoft.graph.authenticationEvent.emailOtpSend";
    public const string CalloutDataType = "microsoft.graph.onOtpSendCalloutData";

    /// <summary>An Entra event carries display names and ids around the code: more than our own 4 KB bodies.</summary>
    public const int MaxBytes = 16 * 1024;

    /// <summary>
    /// Checks the documented shape and nothing more: fields Entra adds later are ignored rather than refused,
    /// since a refusal fails the user's sign-in.
    /// </summary>
    public static Result<OtpSendEvent> Parse(JsonElement root)
    {
        if (ShapeError(root, out var data, out var otp) is { } shapeError)
        {
            return shapeError;
        }

        var identifier = String(otp, "identifier", exactName: true);
        if (identifier is null || !Destination.TryParse(Channel.Email, identifier, out var destination, out _))
        {
            return ApiError.InvalidRequest("data.otpContext.identifier must be a valid email address.");
        }

        // The reference spells it oneTimeCode; Microsoft's own sample function reads "onetimecode". Both are Entra's.
        var code = String(otp, "oneTimeCode", exactName: false);
        if (code is null || !CodeShape().IsMatch(code))
        {
            return ApiError.InvalidRequest("data.otpContext.oneTimeCode must be 4-16 letters or digits.");
        }

        var (locale, correlationId) = SignInContext(data);
        return new OtpSendEvent(destination!, code, SendRequest.NormalizeLocale(locale), correlationId);
    }

    /// <summary>The event's envelope: its type, its data object and the data's OTP context.</summary>
    private static ApiError? ShapeError(JsonElement root, out JsonElement data, out JsonElement otp)
    {
        otp = default;
        if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != EventType)
        {
            data = default;
            return ApiError.InvalidRequest($"type must be \"{EventType}\".");
        }

        if (!root.TryGetProperty("data", out data) || data.ValueKind != JsonValueKind.Object)
        {
            return ApiError.InvalidRequest("data must be an object.");
        }

        if (!data.TryGetProperty("@odata.type", out var dataType) || dataType.ValueKind != JsonValueKind.String || dataType.GetString() != CalloutDataType)
        {
            return ApiError.InvalidRequest($"data.@odata.type must be \"{CalloutDataType}\".");
        }

        return data.TryGetProperty("otpContext", out otp) && otp.ValueKind == JsonValueKind.Object
            ? null
            : ApiError.InvalidRequest("data.otpContext must be an object.");
    }

    /// <summary>The sign-in page's language and Entra's correlation id, both optional.</summary>
    private static (string? Locale, Guid? CorrelationId) SignInContext(JsonElement data)
    {
        var context = data.TryGetProperty("authenticationContext", out var found) && found.ValueKind == JsonValueKind.Object ? found : default;
        var client = context.ValueKind == JsonValueKind.Object && context.TryGetProperty("client", out var clientFound) && clientFound.ValueKind == JsonValueKind.Object ? clientFound : default;
        var locale = client.ValueKind == JsonValueKind.Object ? String(client, "locale", exactName: true) : null;
        var correlation = context.ValueKind == JsonValueKind.Object ? String(context, "correlationId", exactName: true) : null;
        return (locale, Guid.TryParse(correlation, out var id) ? id : null);
    }

    private static string? String(JsonElement parent, string name, bool exactName)
    {
        foreach (var property in parent.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String && (exactName ? property.NameEquals(name) : property.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                try
                {
                    return property.Value.GetString();
                }
                catch (InvalidOperationException)
                {
                    // A lone surrogate escape is valid JSON but no text: treated as absent, so the caller refuses it.
                    return null;
                }
            }
        }

        return null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9]{4,16}\z")]
    private static partial Regex CodeShape();
}
