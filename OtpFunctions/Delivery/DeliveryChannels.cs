using Microsoft.Extensions.DependencyInjection;

namespace OtpFunctions.Delivery;

/// <summary>
/// Which channels this deployment can deliver on, and the provider of each: a channel with <c>Provider=None</c> is
/// deployed but not configured.
/// </summary>
public sealed class DeliveryChannels(IOptions<DeliveryOptions> options, IServiceProvider services)
{
    public bool IsConfigured(Channel channel) => !DeliveryProviderNames.IsNone(options.Value.ProviderOf(channel));

    public IDeliveryProvider Provider(Channel channel) => services.GetRequiredKeyedService<IDeliveryProvider>(channel);

    /// <summary>Why a send on a channel deployed with <c>Provider=None</c> is refused, in the API and in its delivery status.</summary>
    public static string NotConfiguredMessage(Channel channel) => $"The {channel.ToWire()} channel is not configured on this deployment.";
}
