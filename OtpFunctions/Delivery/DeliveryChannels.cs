using Microsoft.Extensions.Options;

namespace OtpFunctions.Delivery;

/// <summary>Which channels this deployment can deliver on: a channel with <c>Provider=None</c> is deployed but not configured.</summary>
public sealed class DeliveryChannels(IOptions<DeliveryOptions> options)
{
    public bool IsConfigured(Channel channel) => !DeliveryProviderNames.IsNone(channel == Channel.Sms ? options.Value.Sms.Provider : options.Value.Email.Provider);

    /// <summary>The channel's name as the API spells it.</summary>
    public static string Name(Channel channel) => channel == Channel.Sms ? "sms" : "email";
}
