namespace OtpFunctions.Delivery;

/// <summary>
/// A channel's name in the API, tokens, metrics, webhooks and template folders ("sms", "email"). Stored rows keep
/// the enum's own name ("Sms", "Email"), as they always have.
/// </summary>
public static class ChannelNames
{
    public const string Sms = "sms";
    public const string Email = "email";

    public static string ToWire(this Channel channel) => channel switch
    {
        Channel.Sms => Sms,
        Channel.Email => Email,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null),
    };

    /// <summary>Exact, case-sensitive names only, as api.md defines them.</summary>
    public static bool TryParse(string? name, out Channel channel)
    {
        (var known, channel) = name switch
        {
            Sms => (true, Channel.Sms),
            Email => (true, Channel.Email),
            _ => (false, default),
        };
        return known;
    }
}
