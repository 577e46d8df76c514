using System.Text.Json;
using System.Text.RegularExpressions;
using OtpFunctions.Challenges;
using OtpFunctions.Http;

namespace OtpFunctions.Sending;

/// <summary>A validated <c>POST /api/otp</c> body. <see cref="Fallback"/> lists the phone channels tried after the first one fails.</summary>
public sealed partial record SendRequest(Destination Destination, string Purpose, string Locale)
{
    public IReadOnlyList<Channel> Fallback { get; init; } = [];

    public const string DefaultPurpose = "login";
    public const string DefaultLocale = "en";

    public static Result<SendRequest> Parse(JsonBody body)
    {
        var destination = ParseDestination(body);
        if (destination.Error is { } destinationError)
        {
            return destinationError;
        }

        var purpose = ParsePurpose(body);
        if (purpose.Error is { } purposeError)
        {
            return purposeError;
        }

        var fallback = ParseFallback(body, destination.Value!.Channel);
        if (fallback.Error is { } fallbackError)
        {
            return fallbackError;
        }

        // An unknown or oversized locale falls back to English (api.md); only a wrong JSON type is an error.
        var locale = body.GetString("locale", required: false, maxLength: JsonBody.MaxBytes);
        return locale.Error is { } localeError
            ? localeError
            : new SendRequest(destination.Value!, purpose.Value!, NormalizeLocale(locale.Value)) { Fallback = fallback.Value! };
    }

    /// <summary>
    /// Other phone channels, each once, in order; email takes none (an address cannot become a number). An empty
    /// array or null is no fallback.
    /// </summary>
    public static Result<IReadOnlyList<Channel>> ParseFallback(JsonBody body, Channel first)
    {
        if (!body.Root.TryGetProperty("fallback", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return Array.Empty<Channel>();
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String))
        {
            return ApiError.InvalidRequest("fallback must be an array of channel names, such as [\"sms\", \"voice\"].");
        }

        var names = value.EnumerateArray().Select(item => item.GetString()).ToList();
        if (names.Count > 0 && !first.IsPhone())
        {
            return ApiError.InvalidRequest($"fallback is for the phone channels only: {first.ToWire()} takes none.");
        }

        var channels = new List<Channel>(names.Count);
        foreach (var name in names)
        {
            if (!ChannelNames.TryParse(name, out var channel) || !channel.IsPhone())
            {
                return ApiError.InvalidRequest($"fallback may name only {ChannelNames.Quoted(ChannelNames.PhoneChannels)}.");
            }

            if (channel == first || channels.Contains(channel))
            {
                return ApiError.InvalidRequest($"fallback names {channel.ToWire()} twice, or names the channel the code goes on first.");
            }

            channels.Add(channel);
        }

        return channels;
    }

    private static Result<Destination> ParseDestination(JsonBody body)
    {
        var channelText = body.GetString("channel", required: true, maxLength: 16);
        if (channelText.Error is { } channelError)
        {
            return channelError;
        }

        if (!ChannelNames.TryParse(channelText.Value, out var channel))
        {
            return ApiError.InvalidRequest($"channel must be {ChannelNames.Quoted(ChannelNames.All)}.");
        }

        var to = body.GetString("to", required: true, maxLength: 320);
        if (to.Error is { } toError)
        {
            return toError;
        }

        return Destination.TryParse(channel, to.Value!, out var destination, out var destinationError)
            ? destination!
            : ApiError.InvalidRequest(destinationError);
    }

    private static Result<string> ParsePurpose(JsonBody body)
    {
        var purpose = body.GetString("purpose", required: false, maxLength: 32);
        if (purpose.Error is { } purposeError)
        {
            return purposeError;
        }

        var purposeValue = string.IsNullOrEmpty(purpose.Value) ? DefaultPurpose : purpose.Value;
        return PurposeShape().IsMatch(purposeValue)
            ? purposeValue
            : ApiError.InvalidRequest("purpose must be 1-32 lowercase letters, digits or underscores, starting with a letter.");
    }

    /// <summary>
    /// Keeps the language ("es-MX" becomes "es"); a malformed locale becomes English, as api.md says: not an error.
    /// The template renderer falls back to English for languages it has no template for.
    /// </summary>
    public static string NormalizeLocale(string? locale)
    {
        var language = locale?.Split('-', '_')[0].ToLowerInvariant();
        return language is not null && LanguageShape().IsMatch(language) ? language : DefaultLocale;
    }

    [GeneratedRegex(@"^[a-z]{2,3}\z")]
    private static partial Regex LanguageShape();

    [GeneratedRegex(@"^[a-z][a-z0-9_]{0,31}\z")]
    private static partial Regex PurposeShape();
}
