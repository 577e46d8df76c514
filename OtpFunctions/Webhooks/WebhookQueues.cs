using Azure;
using Azure.Storage.Queues;
using OtpFunctions.Storage;

namespace OtpFunctions.Webhooks;

/// <summary>The webhook queue and its poison queue, on the service's storage account. Kept apart from code
/// delivery so a slow app backend never delays a code.</summary>
public sealed class WebhookQueues(OtpStorage storage, IOptions<WebhookOptions> options)
{
    /// <summary>Messages live as long as the whole retry schedule may take, and then some.</summary>
    public static readonly TimeSpan MessageLifetime = TimeSpan.FromDays(7);

    public QueueClient Queue { get; } = storage.QueueNamed(options.Value.Queue);

    public QueueClient PoisonQueue { get; } = storage.QueueNamed(options.Value.Queue + "-poison");

    /// <summary>Queues a message, visible after <paramref name="delay"/>.</summary>
    public Task SendAsync(string message, TimeSpan? delay, CancellationToken cancellationToken) => SendToAsync(Queue, message, delay, cancellationToken);

    /// <summary>Keeps a message the retries gave up on, for an operator to inspect.</summary>
    public Task PoisonAsync(string message, CancellationToken cancellationToken) => SendToAsync(PoisonQueue, message, null, cancellationToken);

    /// <summary>Sends, creating the queue the first time it turns out to be missing (webhooks are off until configured, so nothing creates it earlier).</summary>
    private static async Task SendToAsync(QueueClient queue, string message, TimeSpan? delay, CancellationToken cancellationToken)
    {
        try
        {
            await queue.SendMessageAsync(message, delay, MessageLifetime, cancellationToken);
        }
        catch (RequestFailedException failed) when (failed.ErrorCode == "QueueNotFound")
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await queue.SendMessageAsync(message, delay, MessageLifetime, cancellationToken);
        }
    }
}
