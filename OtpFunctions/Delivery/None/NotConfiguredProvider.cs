namespace OtpFunctions.Delivery.None;

/// <summary>
/// Stands in for a channel deployed without a provider (<c>Provider=None</c>), such as SMS before a number is bought:
/// sends are refused at the API, and a message already queued fails for good instead of retrying.
/// </summary>
public sealed class NotConfiguredProvider(Channel channel) : IDeliveryProvider
{
    public string Name => "none";

    public Task<DeliveryOutcome> SendAsync(DeliveryRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(DeliveryOutcome.Permanent(DeliveryChannels.NotConfiguredMessage(channel)));
}
