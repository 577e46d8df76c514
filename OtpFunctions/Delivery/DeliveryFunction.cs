using Microsoft.Azure.Functions.Worker;

namespace OtpFunctions.Delivery;

/// <summary>Delivers each queued code through the configured provider.</summary>
public sealed class DeliveryFunction(DeliveryService delivery)
{
    [Function("DeliverCode")]
    public Task Run([QueueTrigger("%OTP_DELIVERY_QUEUE%", Connection = "OtpStorage")] string message, CancellationToken cancellationToken) =>
        delivery.DeliverAsync(message, cancellationToken);
}
