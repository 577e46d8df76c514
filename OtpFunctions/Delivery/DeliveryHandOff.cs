using OtpFunctions.Challenges;
using OtpFunctions.Storage;

namespace OtpFunctions.Delivery;

/// <summary>
/// The one way a stored code reaches the queue-triggered delivery function (sends, resends and relays): sealed, then
/// queued. A code that cannot be queued is marked so on its status row, which is what a status request then reports.
/// </summary>
public sealed class DeliveryHandOff(OtpStorage storage, DeliveryProtector protector, ChallengeStore store, TimeProvider time)
{
    // Kept for a week, not just the code's lifetime: after a backlog the function still drops an expired code as
    // expired (it is never delivered late) rather than the queue losing it silently.
    private static readonly TimeSpan MessageLifetime = TimeSpan.FromDays(7);

    /// <summary>
    /// Queues <paramref name="code"/>, the current code of <paramref name="challenge"/>, for <paramref name="destination"/>
    /// (null: opened from the challenge's sealed column). A failure marks the code not queued and is thrown on.
    /// </summary>
    public async Task HandOffAsync(Challenge challenge, string code, string? destination, CancellationToken cancellationToken)
    {
        try
        {
            destination ??= protector.OpenDestination(challenge.Id.Value, challenge.SealedTo);
            var message = protector.Seal(challenge.Id.Value, challenge.CodeVersion, challenge.OperationId, challenge.LastSentAt, new DeliverySecret(destination, code));
            await storage.Queue.SendMessageAsync(message, visibilityTimeout: null, timeToLive: MessageLifetime, cancellationToken: cancellationToken);
        }
        catch
        {
            await MarkNotQueuedAsync(challenge);
            throw;
        }
    }

    /// <summary>
    /// A stored code that will never leave (its hand-off failed, or a budget filled in a race after it was stored):
    /// its status row says so. Best effort, since storage may be what failed.
    /// </summary>
    public async Task MarkNotQueuedAsync(Challenge challenge)
    {
        var notQueued = new DeliveryState(DeliveryStatus.Failed, time.GetUtcNow(), "could not be queued", null, 0);
        await store.UpdateDeliveryAsync(challenge.Id, challenge.CodeVersion, notQueued, CancellationToken.None)
            .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
