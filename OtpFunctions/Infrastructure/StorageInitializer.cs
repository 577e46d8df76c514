using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OtpFunctions.Infrastructure;

/// <summary>Creates the table and queues once at start-up, retrying in the background until storage answers.</summary>
public sealed class StorageInitializer(OtpStorage storage, ILogger<StorageInitializer> logger) : IHostedService, IDisposable
{
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? stopping;

    public Task Ready => ready.Task;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        stopping = new CancellationTokenSource();
        _ = Task.Run(() => CreateUntilDoneAsync(stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        stopping?.Cancel();
        return Task.CompletedTask;
    }

    public void Dispose() => stopping?.Dispose();

    private async Task CreateUntilDoneAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await storage.Table.CreateIfNotExistsAsync(cancellationToken);
                await storage.Queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                await storage.PoisonQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                ready.TrySetResult();
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                OtpLog.StorageNotReady(logger, exception.Message, delay.TotalSeconds);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }
}
