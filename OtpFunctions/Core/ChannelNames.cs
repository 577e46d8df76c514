namespace OtpFunctions.Core;

/// <summary>
/// A channel's name in the API, tokens, metrics, webhooks and template folders ("sms", "whatsapp", "voice", "email").
/// Stored rows keep the enum's own name ("Sms", "WhatsApp", "Voice", "Email"), as they always have.
/// </summary>
public static class ChannelNames
{
    public const string Sms = "sms";
    public const string WhatsApp = "whatsapp";
    public const string Voice = "voice";
    public const string Email = "email";

    /// <summary>The phone channels, in the order api.md names them: they take an E.164 number and share its limits.</summary>
    public static readonly IReadOnlyList<Channel> PhoneChannels = [Channel.Sms, Channel.WhatsApp, Channel.Voice];

    /// <summary>Every channel in the order api.md names them (health, OpenAPI, messages).</summary>
    public static readonly IReadOnlyList<Channel> All = [Channel.Sms, Channel.WhatsApp, Channel.Voice, Channel.Email];

    /// <summary>
    /// SMS, WhatsApp and voice: one E.164 number, one set of limits (destination, country, global, number types, fraud
    /// guard), whichever of them carries the code. Use this, never <c>== Channel.Sms</c>, where a rule is about phones.
    /// </summary>
    public static bool IsPhone(this Channel channel) => channel is Channel.Sms or Channel.WhatsApp or Channel.Voice;

    public static string ToWire(this Channel channel) => channel switch
    {
        Channel.Sms => Sms,
        Channel.WhatsApp => WhatsApp,
        Channel.Voice => Voice,
        Channel.Email => Email,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null),
    };

    /// <summary>Exact, case-sensitive names only, as api.md defines them.</summary>
    public static bool TryParse(string? name, out Channel channel)
    {
        (var known, channel) = name switch
        {
            Sms => (true, Channel.Sms),
            WhatsApp => (true, Channel.WhatsApp),
            Voice => (true, Channel.Voice),
            Email => (true, Channel.Email),
            _ => (false, default),
        };
        return known;
    }

    /// <summary>The wire names joined for messages: "\"sms\", \"whatsapp\", \"voice\" or \"email\"".</summary>
    public static string Quoted(IReadOnlyList<Channel> channels) =>
        channels.Count == 1
            ? $"\"{channels[0].ToWire()}\""
            : string.Join(", ", channels.Take(channels.Count - 1).Select(c => $"\"{c.ToWire()}\"")) + $" or \"{channels[^1].ToWire()}\"";
}
