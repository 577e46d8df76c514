using Microsoft.Extensions.Hosting;
using OtpFunctions.Challenges;
using OtpFunctions.Delivery;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Fraud;

/// <summary>
/// Counts verified phone codes for the fraud guard off the request path: a verify hands the approved challenge over
/// and answers; this writes the count to the bucket its code was sent in, a few at a time. A count lost (storage
/// down, the process ending) only makes its prefix look a little worse: one send in <c>MinSends</c> or more.
/// </summary>
public sealed class VerificationTally(PrefixStore store, FraudRule rule, FraudGuard guard, DeliveryProtector protector, ILogger<VerificationTally> logger) : IHostedService, IDisposable
{
    private const int Capacity = 10_000;
    private const int Writers = 2;
    private const int Attempts = 3;

    private readonly System.Threading.Channels.Channel<Challenge> approved = System.Threading.Channels.Channel.CreateBounded<Challenge>(new System.Threading.Channels.BoundedChannelOptions(Capacity) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource abandon = new();
    private Task running = Task.CompletedTask;

    /// <summary>Takes an approved challenge; returns at once. Email and non-judged prefixes are dropped here or later.</summary>
    public void Add(Challenge challenge)
    {
        if (challenge.CallingCode is not null && rule.Settings.Mode != FraudGuardMode.Off)
        {
            approved.Writer.TryWrite(challenge);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        running = Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(DrainAsync, CancellationToken.None)));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        approved.Writer.TryComplete();
        using var registration = cancellationToken.Register(abandon.Cancel);
        await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => abandon.Dispose();

    private async Task DrainAsync()
    {
        await foreach (var challenge in approved.Reader.ReadAllAsync(CancellationToken.None))
        {
            if (protector.CanOpenDestination(challenge.SealedTo) && guard.Watched(protector.OpenDestination(challenge.Id.Value, challenge.SealedTo)) is { } prefix)
            {
                await CountAsync(prefix, rule.BucketOf(challenge.LastSentAt));
            }
        }
    }

    private async Task CountAsync(string prefix, long bucket)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.CountAsync(prefix, rows: null, bucket, sends: 0, verified: 1, abandon.Token);
                return;
            }
            catch (Exception exception) when (Http.ApiGuard.IsStorageFault(exception) || exception is OperationCanceledException)
            {
                if (attempt >= Attempts || abandon.IsCancellationRequested)
                {
                    OtpLog.VerificationNotCounted(logger, prefix, exception.Message);
                    return;
                }

                await Task.Delay(TimeSpan.FromSeconds(attempt), abandon.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
