using OtpFunctions.Challenges;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Delivery;

/// <summary>
/// Reads a delivery queue message and the challenge it names, and opens its sealed part. Malformed and stale messages
/// (the challenge gone, replaced by a newer code, no longer pending, or its message already settled) are dropped,
/// logged, never retried.
/// </summary>
public sealed class DeliveryIntake(ChallengeStore store, DeliveryProtector protector, TimeProvider time, ILogger<DeliveryIntake> logger)
{
    /// <returns>The code to deliver, or null when the message is dropped.</returns>
    public async Task<QueuedCode?> ReadAsync(string message, CancellationToken cancellationToken)
    {
        if (!DeliveryProtector.TryParse(message, out var envelope) || !ChallengeId.TryParse(envelope!.ChallengeId, out var id))
        {
            OtpLog.DeliveryMessageMalformed(logger, "not a delivery envelope");
            return null;
        }

        var read = await store.GetForDeliveryAsync(id, cancellationToken);
        if (StaleReason(read.Challenge, envelope) is { } reason)
        {
            OtpLog.DeliveryDropped(logger, envelope.ChallengeId, reason);
            return null;
        }

        return new QueuedCode(message, envelope, read, protector.TryOpen(envelope, out var secret) ? secret : null);
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
