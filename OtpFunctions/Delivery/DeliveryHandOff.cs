using OtpFunctions.Challenges;
using OtpFunctions.Infrastructure;
using OtpFunctions.Sweeping;

namespace OtpFunctions.Delivery;

/// <summary>Hands a freshly issued code to the queue-triggered delivery function, sealed.</summary>
public sealed class DeliveryHandOff(OtpStorage storage, DeliveryProtector protector)
{
    /// <summary>Queues the current code of <paramref name="challenge"/>; the destination comes from its sealed column.</summary>
    public async Task EnqueueAsync(Challenge challenge, string code, IReadOnlyList<SweepHint> sweep, CancellationToken cancellationToken)
    {
        var destination = protector.OpenDestination(challenge.Id.Value, challenge.SealedTo);
        var message = protector.Seal(challenge.Id.Value, challenge.CodeVersion, challenge.OperationId, challenge.LastSentAt, new DeliverySecret(destination, code), sweep);
        // The message dies with the code: a delivery after expiry would only confuse the user.
        var timeToLive = challenge.ExpiresAt - challenge.LastSentAt;
        await storage.Queue.SendMessageAsync(message, visibilityTimeout: null, timeToLive: timeToLive, cancellationToken: cancellationToken);
    }
}
