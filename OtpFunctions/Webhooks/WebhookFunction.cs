using Microsoft.Azure.Functions.Worker;
using OtpFunctions.Configuration;

namespace OtpFunctions.Webhooks;

/// <summary>Posts each queued event to the app backend that subscribed to it.</summary>
public sealed class WebhookFunction(WebhookSender sender)
{
    [Function("SendWebhook")]
    public Task Run([QueueTrigger("%" + SettingNames.WebhookQueue + "%", Connection = SettingNames.StorageConnection)] string message, CancellationToken cancellationToken) =>
        sender.SendAsync(message, cancellationToken);
}
