using Azure;
using Microsoft.Extensions.Hosting;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Storage;

/// <summary>
/// Creates the table and queues (the delivery queues and every <see cref="QueueToCreate"/>) once at start-up,
/// retrying in the background until storage answers, and again if they are found missing later (a storage account recreated, an emulator restarted empty).
/// </summary>
public sealed class StorageInitializer(OtpStorage storage, IEnumerable<QueueToCreate> otherQueues, ILogger<StorageInitializer> logger) : IHostedService, IDisposable
{
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stopping = new();
    private int running;

    public Task Ready => ready.Task;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        EnsureCreated();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        stopping.Cancel();
        return Task.CompletedTask;
    }

    public void Dispose() => stopping.Dispose();

    /// <summary>True for the errors that mean our table or queue is gone, not that storage is down.</summary>
    public static bool IsMissingResource(Exception exception) => exception switch
    {
        RequestFailedException failed => failed.ErrorCode is "TableNotFound" or "QueueNotFound",
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsMissingResource),
        _ => false,
    };

    /// <summary>Starts creating the resources in the background unless that is already under way.</summary>
    public void EnsureCreated()
    {
        if (Interlocked.Exchange(ref running, 1) == 0)
        {
            _ = Task.Run(() => CreateUntilDoneAsync(stopping.Token), CancellationToken.None);
        }
    }

    private async Task CreateUntilDoneAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await storage.Table.CreateIfNotExistsAsync(cancellationToken);
                    await storage.Queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                    await storage.PoisonQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                    foreach (var other in otherQueues)
                    {
                        await other.Client.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                    }

                    ready.TrySetResult();
                    return;
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    var delay = ExponentialBackoff.After(++failures, TimeSpan.FromMilliseconds(250), factor: 2, TimeSpan.FromSeconds(10));
                    OtpLog.StorageNotReady(logger, exception.Message, delay.TotalSeconds);
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
        }
        finally
        {
            Volatile.Write(ref running, 0);
        }
    }
}
