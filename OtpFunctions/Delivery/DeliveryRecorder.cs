using OtpFunctions.Challenges;
using OtpFunctions.Telemetry;
using OtpFunctions.Webhooks;

namespace OtpFunctions.Delivery;

/// <summary>Records on the challenge's status row what became of its message, and logs it; failures also go to webhooks.</summary>
public sealed class DeliveryRecorder(ChallengeStore store, ProviderMessageIndex messages, WebhookPublisher webhooks, DeliveryFallback fallback, TimeProvider time, ILogger<DeliveryRecorder> logger)
{
    public async Task SentAsync(QueuedCode code, SendAttempt attempt, CancellationToken cancellationToken)
    {
        var messageId = attempt.Outcome.ProviderMessageId;
        OtpLog.DeliverySent(logger, code.ChallengeId, code.Challenge.MaskedTo, attempt.Provider, messageId);
        // Indexed before the status says "sent": a retry after a failed index write is then not dropped as done,
        // and a report arriving at once already finds its challenge.
        if (messageId is { Length: > 0 })
        {
            await messages.RecordAsync(messageId, code.Challenge.Id, code.CodeVersion, attempt.AnsweredAt, code.Challenge.ExpiresAt + ChallengeEntity.Retention, cancellationToken);
        }

        var sent = code.Challenge.Delivery! with { Status = DeliveryStatus.Sent, UpdatedAt = attempt.AnsweredAt, Error = null, ProviderMessageId = messageId, Attempts = code.Attempt, Envelope = KeptEnvelope(code) };
        await store.UpdateDeliveryAsync(code.Read, code.CodeVersion, sent, cancellationToken);
    }

    public async Task RefusedAsync(QueuedCode code, SendAttempt attempt, CancellationToken cancellationToken)
    {
        OtpLog.DeliveryFailed(logger, code.ChallengeId, code.Challenge.MaskedTo, attempt.Provider, attempt.Outcome.Error);
        var failed = code.Challenge.Delivery! with { Status = DeliveryStatus.Failed, UpdatedAt = attempt.AnsweredAt, Error = attempt.Outcome.Error, ProviderMessageId = null, Attempts = code.Attempt, Envelope = KeptEnvelope(code) };
        await store.UpdateDeliveryAsync(code.Read, code.CodeVersion, failed, cancellationToken);
        await FailedOnChannelAsync(code, "refused by the provider", cancellationToken);
    }

    /// <summary>
    /// A channel finally failed (refused, or its retries spent): the next fallback channel takes the same code, or,
    /// when none is left, the app's backend hears of it.
    /// </summary>
    public async Task FailedOnChannelAsync(QueuedCode code, string reason, CancellationToken cancellationToken)
    {
        if (!await fallback.TryNextAsync(code.Challenge.Id, code.CodeVersion, cancellationToken))
        {
            webhooks.Publish(WebhookEvents.DeliveryFailed, code.Challenge, reason);
        }
    }

    /// <summary>The sealed message, kept in the status row only while another channel, or a voice call's callbacks, may need it.</summary>
    private static string? KeptEnvelope(QueuedCode code) =>
        code.Challenge.DeliveryChannel == Channel.Voice || code.Challenge.ChannelAfter(code.Challenge.DeliveryChannel) is not null ? code.Message : null;

    public async Task UndecryptableAsync(QueuedCode code, CancellationToken cancellationToken)
    {
        OtpLog.DeliveryMessageMalformed(logger, "the envelope does not decrypt under the current key");
        await store.UpdateDeliveryAsync(code.Read, code.CodeVersion, FailedNow(code, "message could not be decrypted"), cancellationToken);
        webhooks.Publish(WebhookEvents.DeliveryFailed, code.Challenge, "message could not be decrypted");
    }

    public async Task NotAllowedAsync(QueuedCode code, string reason, CancellationToken cancellationToken)
    {
        OtpLog.DeliveryDropped(logger, code.ChallengeId, reason);
        await store.UpdateDeliveryAsync(code.Read, code.CodeVersion, FailedNow(code, reason), cancellationToken);
    }

    private DeliveryState FailedNow(QueuedCode code, string error) =>
        code.Challenge.Delivery! with { Status = DeliveryStatus.Failed, UpdatedAt = time.GetUtcNow(), Error = error, ProviderMessageId = null, Attempts = code.Attempt, Envelope = null };
}
