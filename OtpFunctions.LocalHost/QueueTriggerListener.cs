using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace OtpFunctions.LocalHost;

/// <summary>
/// Polls each <c>[QueueTrigger]</c> queue the way the Functions host does: base64 messages, batches,
/// back-off when idle, retry after <c>visibilityTimeout</c>, and the <c>-poison</c> queue after
/// <c>maxDequeueCount</c> failed tries.
/// </summary>
public sealed partial class QueueTriggerListener(
    FunctionCatalog catalog,
    HostSettings settings,
    IConfiguration configuration,
    IServiceProvider services,
    ILogger<QueueTriggerListener> logger) : BackgroundService
{
    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ProcessingVisibility = TimeSpan.FromMinutes(5);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(catalog.Queues.Select(queue => ListenAsync(queue.Function, queue.Trigger, stoppingToken)));

    private async Task ListenAsync(FunctionEntry function, Microsoft.Azure.Functions.Worker.QueueTriggerAttribute trigger, CancellationToken stoppingToken)
    {
        var queueName = BindingExpressions.Resolve(trigger.QueueName, configuration);
        var queue = CreateClient(trigger.Connection ?? "AzureWebJobsStorage", queueName);
        var poison = CreateClient(trigger.Connection ?? "AzureWebJobsStorage", queueName + "-poison");
        var idle = MinPollingInterval;
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                await poison.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                while (!stoppingToken.IsCancellationRequested)
                {
                    // Like the Functions host: fetch the next batch once no more than newBatchThreshold
                    // messages are still running, so one slow message never holds up the rest.
                    running.RemoveAll(task => task.IsCompleted);
                    if (running.Count > settings.QueueNewBatchThreshold)
                    {
                        await Task.WhenAny(running);
                        continue;
                    }

                    QueueMessage[] messages = (await queue.ReceiveMessagesAsync(settings.QueueBatchSize, ProcessingVisibility, stoppingToken)).Value;
                    if (messages.Length == 0)
                    {
                        await Task.Delay(idle, stoppingToken);
                        idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, settings.MaxPollingInterval.Ticks));
                        continue;
                    }

                    idle = MinPollingInterval;
                    running.AddRange(messages.Select(message => ProcessAsync(function, queue, poison, message, stoppingToken)));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                return;
            }
            catch (Exception exception)
            {
                PollFailed(logger, queueName, exception.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task ProcessAsync(FunctionEntry function, QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            await FunctionInvoker.InvokeQueueAsync(function, services, message.Body.ToString(), stoppingToken);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            if (message.DequeueCount >= settings.MaxDequeueCount)
            {
                MovedToPoison(logger, function.Name, message.MessageId, message.DequeueCount, exception.Message);
                await poison.SendMessageAsync(message.Body.ToString(), CancellationToken.None);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
            }
            else
            {
                InvocationFailed(logger, function.Name, message.MessageId, message.DequeueCount, exception.Message);
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: CancellationToken.None);
            }
        }
    }

    private QueueClient CreateClient(string connection, string queueName)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var connectionString = configuration[connection];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new QueueClient(connectionString, queueName, options);
        }

        var serviceUri = configuration[$"{connection}:queueServiceUri"] ?? throw new InvalidOperationException($"Queue connection '{connection}' is not configured.");
        return new QueueClient(new Uri(new Uri(serviceUri.TrimEnd('/') + "/"), queueName), OtpFunctions.Configuration.AzureCredentials.Create(configuration[$"{connection}:clientId"]), options);
    }

    [LoggerMessage(5001, LogLevel.Warning, "Function {Function} failed on message {MessageId} (try {DequeueCount}); it will be retried: {Reason}")]
    private static partial void InvocationFailed(ILogger logger, string function, string messageId, long dequeueCount, string reason);

    [LoggerMessage(5002, LogLevel.Error, "Function {Function} failed on message {MessageId} {DequeueCount} times; moved to the poison queue: {Reason}")]
    private static partial void MovedToPoison(ILogger logger, string function, string messageId, long dequeueCount, string reason);

    [LoggerMessage(5003, LogLevel.Warning, "Polling queue {Queue} failed: {Reason}")]
    private static partial void PollFailed(ILogger logger, string queue, string reason);
}
