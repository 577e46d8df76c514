using OtpFunctions.Challenges;
using OtpFunctions.Storage;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Delivery;

/// <summary>
/// When delivery on a phone channel has finally failed, sends the same code on the challenge's next fallback
/// channel at once: its lifetime and attempts unchanged, the try counted in the phone budgets, the failed channel's
/// try kept in the status row for <c>delivery.attempts</c>. The sealed message kept in that row is queued again.
/// </summary>
public sealed class DeliveryFallback(ChallengeStore store, OtpStorage storage, DeliveryChannels channels, IFallbackBudget budget, TimeProvider time, ILogger<DeliveryFallback> logger)
{
    /// <returns>True when the next channel took over; false when there is none (or it may not go), so the failure is final.</returns>
    public async Task<bool> TryNextAsync(ChallengeId id, int codeVersion, CancellationToken cancellationToken)
    {
        var read = await store.GetForDeliveryAsync(id, cancellationToken);
        if (read.Challenge is not { } challenge || challenge.CodeVersion != codeVersion || challenge.State != ChallengeState.Pending
            || challenge.IsExpired(time.GetUtcNow()) || challenge.Delivery is not { Status: DeliveryStatus.Failed, Envelope: { } envelope } failed)
        {
            return false;
        }

        var current = challenge.DeliveryChannel;
        if (NextConfigured(challenge, current) is not { } next)
        {
            return false;
        }

        if (await budget.TrySpendAsync(challenge, cancellationToken) is { } full)
        {
            OtpLog.DeliveryFallbackRefused(logger, id.Value, challenge.MaskedTo, next.ToWire(), full);
            return false;
        }

        OtpLog.DeliveryFallingBack(logger, id.Value, challenge.MaskedTo, current.ToWire(), next.ToWire());
        var moved = failed with
        {
            Status = DeliveryStatus.Queued,
            UpdatedAt = time.GetUtcNow(),
            Error = null,
            ProviderMessageId = null,
            Attempts = 0,
            Channel = next,
            Earlier = [.. failed.Earlier, new ChannelAttempt(current, DeliveryStatus.Failed, failed.UpdatedAt, failed.Error)],
        };
        await store.UpdateDeliveryAsync(read, codeVersion, moved, cancellationToken);
        await storage.Queue.SendMessageAsync(envelope, visibilityTimeout: null, timeToLive: challenge.ExpiresAt - time.GetUtcNow(), cancellationToken: cancellationToken);
        return true;
    }

    /// <summary>A channel whose provider was taken away since the send (<c>Provider=None</c>) is skipped, not tried.</summary>
    private Channel? NextConfigured(Challenge challenge, Channel current)
    {
        for (var next = challenge.ChannelAfter(current); next is { } candidate; next = challenge.ChannelAfter(candidate))
        {
            if (channels.IsConfigured(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
