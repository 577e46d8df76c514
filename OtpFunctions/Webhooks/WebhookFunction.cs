using Microsoft.Azure.Functions.Worker;

namespace OtpFunctions.Webhooks;

/// <summary>Posts each queued event to the app backend that subscribed to it.</summary>
public sealed class WebhookFunction(WebhookSender sender)
{
    [Function("SendWebhook")]
    public Task Run([QueueTrigger("%OTP_WEBHOOK_QUEUE%", Connection = "OtpStorage")] string message, CancellationToken cancellationToken) =>
        sender.SendAsync(message, cancellationToken);
}
