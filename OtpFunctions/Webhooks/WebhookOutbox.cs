using Microsoft.Extensions.Hosting;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Webhooks;

/// <summary>
/// Moves published events from memory to the webhook queue, a few at a time. On shutdown it stops taking new
/// events and drains what it holds for as long as the host allows.
/// </summary>
public sealed class WebhookOutbox(WebhookPublisher publisher, WebhookQueues queues, WebhookProtector protector, ILogger<WebhookOutbox> logger) : IHostedService, IDisposable
{
    private const int Writers = 4;
    private static readonly TimeSpan[] Retries = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)];

    private readonly CancellationTokenSource abandon = new();
    private Task running = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        running = Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(DrainAsync, CancellationToken.None)));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        publisher.Complete();
        using var registration = cancellationToken.Register(abandon.Cancel);
        await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => abandon.Dispose();

    private async Task DrainAsync()
    {
        // Ends when the publisher is completed and empty, or when shutdown runs out of time.
        await foreach (var message in publisher.Reader.ReadAllAsync(CancellationToken.None))
        {
            await EnqueueAsync(message);
        }
    }

    private async Task EnqueueAsync(WebhookMessage message)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await queues.SendAsync(protector.Seal(message), delay: null, abandon.Token);
                return;
            }
            catch (Exception exception) when (exception is Azure.RequestFailedException or OperationCanceledException or AggregateException or IOException or HttpRequestException)
            {
                if (attempt >= Retries.Length || abandon.IsCancellationRequested)
                {
                    OtpLog.WebhookNotQueued(logger, message.Id, message.Type, message.Endpoint, exception.Message);
                    return;
                }

                await Task.Delay(Retries[attempt], abandon.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
