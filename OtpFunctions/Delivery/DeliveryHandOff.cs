using OtpFunctions.Challenges;
using OtpFunctions.Storage;
using OtpFunctions.Sweeping;

namespace OtpFunctions.Delivery;

/// <summary>Hands a freshly issued code to the queue-triggered delivery function, sealed.</summary>
public sealed class DeliveryHandOff(OtpStorage storage, DeliveryProtector protector, ChallengeStore store, ExpiryIndex expiryIndex, TimeProvider time)
{
    private static readonly TimeSpan MessageLifetime = TimeSpan.FromDays(7);

    /// <summary>Queues the current code of <paramref name="challenge"/>; the destination comes from its sealed column.</summary>
    public async Task EnqueueAsync(Challenge challenge, string code, IReadOnlyList<SweepHint> sweep, CancellationToken cancellationToken)
    {
        var destination = protector.OpenDestination(challenge.Id.Value, challenge.SealedTo);
        var message = protector.Seal(challenge.Id.Value, challenge.CodeVersion, challenge.OperationId, challenge.LastSentAt, new DeliverySecret(destination, code), sweep);
        // Kept for a week, not just the code's lifetime: after a backlog the function still files the message's
        // sweep hints, and drops the code itself as expired (it is never delivered late).
        await storage.Queue.SendMessageAsync(message, visibilityTimeout: null, timeToLive: MessageLifetime, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// After a hand-off failed, whatever stopped it: the status row says the code could not be queued, and the sweep
    /// hints the message would have carried are filed here. Both are best effort, since storage may be what failed.
    /// </summary>
    public async Task MarkNotQueuedAsync(Challenge challenge, IEnumerable<SweepHint> sweep)
    {
        var notQueued = new DeliveryState(DeliveryStatus.Failed, time.GetUtcNow(), "could not be queued", null, 0);
        await Task.WhenAll(
            expiryIndex.AddAsync(sweep, CancellationToken.None),
            store.UpdateDeliveryAsync(challenge.Id, challenge.CodeVersion, notQueued, CancellationToken.None))
            .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
