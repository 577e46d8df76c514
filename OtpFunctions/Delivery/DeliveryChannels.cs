using Microsoft.Extensions.DependencyInjection;

namespace OtpFunctions.Delivery;

/// <summary>
/// Which channels this deployment can deliver on, and the provider of each: a channel with <c>Provider=None</c> is
/// deployed but not configured.
/// </summary>
public sealed class DeliveryChannels(
    IOptions<DeliveryOptions> options,
    [FromKeyedServices(Channel.Sms)] IDeliveryProvider smsProvider,
    [FromKeyedServices(Channel.Email)] IDeliveryProvider emailProvider)
{
    public bool IsConfigured(Channel channel) => !DeliveryProviderNames.IsNone(channel == Channel.Sms ? options.Value.Sms.Provider : options.Value.Email.Provider);

    public IDeliveryProvider Provider(Channel channel) => channel == Channel.Sms ? smsProvider : emailProvider;

    /// <summary>Why a send on a channel deployed with <c>Provider=None</c> is refused, in the API and in its delivery status.</summary>
    public static string NotConfiguredMessage(Channel channel) => $"The {channel.ToWire()} channel is not configured on this deployment.";
}
