using OtpFunctions.Challenges;
using OtpFunctions.Sweeping;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Delivery;

/// <summary>
/// Reads a delivery queue message and the challenge it names, and opens its sealed part. Malformed and stale messages
/// (the challenge gone, replaced by a newer code, no longer pending, or its message already settled) are dropped,
/// logged, never retried.
/// </summary>
public sealed class DeliveryIntake(ChallengeStore store, ExpiryIndex expiryIndex, DeliveryProtector protector, TimeProvider time, ILogger<DeliveryIntake> logger)
{
    /// <returns>The code to deliver, or null when the message is dropped.</returns>
    public async Task<QueuedCode?> ReadAsync(string message, CancellationToken cancellationToken)
    {
        if (!DeliveryProtector.TryParse(message, out var envelope) || !ChallengeId.TryParse(envelope!.ChallengeId, out var id))
        {
            OtpLog.DeliveryMessageMalformed(logger, "not a delivery envelope");
            return null;
        }

        // Filed before anything is sent, whatever becomes of the message: these rows exist whether or not it is
        // delivered. Filed beside the read rather than before it: one round trip in sequence instead of two.
        var filing = expiryIndex.AddAsync(envelope.Sweep ?? [], cancellationToken);
        var reading = store.GetForDeliveryAsync(id, cancellationToken);
        await Task.WhenAll(filing, reading);
        if (StaleReason(reading.Result.Challenge, envelope) is { } reason)
        {
            OtpLog.DeliveryDropped(logger, envelope.ChallengeId, reason);
            return null;
        }

        return new QueuedCode(message, envelope, reading.Result, protector.TryOpen(envelope, out var secret) ? secret : null);
    }

    private string? StaleReason(Challenge? challenge, DeliveryEnvelope envelope)
    {
        if (challenge is null)
        {
            return "the challenge no longer exists";
        }

        if (challenge.CodeVersion != envelope.CodeVersion || challenge.OperationId != envelope.OperationId)
        {
            return "a newer code replaced this one";
        }

        if (challenge.State != ChallengeState.Pending || challenge.IsExpired(time.GetUtcNow()))
        {
            return $"the challenge is {challenge.PublicStatus(time.GetUtcNow())}";
        }

        return challenge.Delivery!.IsSettled
            ? $"delivery already {challenge.Delivery!.Status.ToWire()}"
            : null;
    }
}
