using Microsoft.Extensions.Options;

namespace OtpFunctions.Delivery;

/// <summary>Which channels this deployment can deliver on: a channel with <c>Provider=None</c> is deployed but not configured.</summary>
public sealed class DeliveryChannels(IOptions<DeliveryOptions> options)
{
    public bool IsConfigured(Channel channel) => !DeliveryProviderNames.IsNone(channel == Channel.Sms ? options.Value.Sms.Provider : options.Value.Email.Provider);

    /// <summary>Why a send on a channel deployed with <c>Provider=None</c> is refused, in the API and in its delivery status.</summary>
    public static string NotConfiguredMessage(Channel channel) => $"The {channel.ToWire()} channel is not configured on this deployment.";
}
