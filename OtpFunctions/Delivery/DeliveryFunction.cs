using Microsoft.Azure.Functions.Worker;
using OtpFunctions.Configuration;

namespace OtpFunctions.Delivery;

/// <summary>Delivers each queued code through the configured provider.</summary>
public sealed class DeliveryFunction(DeliveryService delivery)
{
    [Function("DeliverCode")]
    public Task Run([QueueTrigger("%" + SettingNames.DeliveryQueue + "%", Connection = SettingNames.StorageConnection)] string message, CancellationToken cancellationToken) =>
        delivery.DeliverAsync(message, cancellationToken);
}
