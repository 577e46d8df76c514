using OtpFunctions.Challenges;
using OtpFunctions.Storage;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Delivery;

/// <summary>
/// A transient provider failure: the message is queued again with back-off (and the provider's Retry-After) until
/// the last attempt or the code's expiry, which marks the delivery failed and moves the message to the poison queue.
/// </summary>
public sealed class DeliveryRetry(ChallengeStore store, OtpStorage storage, IOptions<DeliveryRetryOptions> options, DeliveryRecorder recorder, ILogger<DeliveryRetry> logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    public async Task RetryOrGiveUpAsync(QueuedCode code, SendAttempt attempt, CancellationToken cancellationToken)
    {
        var wait = Backoff(code.Attempt, attempt.Outcome.RetryAfter);
        if (code.Attempt >= options.Value.MaxAttempts || attempt.AnsweredAt + wait >= code.Challenge.ExpiresAt)
        {
            await GiveUpAsync(code, attempt, cancellationToken);
            return;
        }

        OtpLog.DeliveryTransient(logger, code.ChallengeId, code.Challenge.MaskedTo, attempt.Provider, code.Attempt, attempt.Outcome.Error);
        var stillQueued = code.Challenge.Delivery! with { UpdatedAt = attempt.AnsweredAt, Error = attempt.Outcome.Error, Attempts = code.Attempt };
        await store.UpdateDeliveryAsync(code.Read, code.CodeVersion, stillQueued, cancellationToken);
        // Queued again rather than thrown: the trigger's own retry neither backs off nor honours Retry-After.
        // The copy carries the same operation id, so the provider still sees one message.
        await storage.Queue.SendMessageAsync(code.Message, visibilityTimeout: wait, timeToLive: code.Challenge.ExpiresAt - attempt.AnsweredAt, cancellationToken: cancellationToken);
    }

    private async Task GiveUpAsync(QueuedCode code, SendAttempt attempt, CancellationToken cancellationToken)
    {
        var gaveUp = $"gave up after {code.Attempt} attempts: {attempt.Outcome.Error}";
        OtpLog.DeliveryPoisoned(logger, code.ChallengeId, code.Challenge.MaskedTo, attempt.Provider, code.Attempt, attempt.Outcome.Error);
        var failed = code.Challenge.Delivery! with { Status = DeliveryStatus.Failed, UpdatedAt = attempt.AnsweredAt, Error = gaveUp, ProviderMessageId = null, Attempts = code.Attempt, Envelope = code.Message };
        await store.UpdateDeliveryAsync(code.Read, code.CodeVersion, failed, cancellationToken);
        // Kept where the host keeps what it gave up on, for an operator to inspect (and the poison alert to count).
        await storage.PoisonQueue.SendMessageAsync(code.Message, cancellationToken);
        await recorder.FailedOnChannelAsync(code, $"gave up after {code.Attempt} attempts", cancellationToken);
    }

    /// <summary>Exponential back-off from the configured base, never sooner than the provider asked.</summary>
    private TimeSpan Backoff(int attempts, TimeSpan? retryAfter)
    {
        var exponential = ExponentialBackoff.After(attempts, options.Value.BaseDelay, factor: 2, MaxBackoff);
        return retryAfter is { } asked && asked > exponential ? TimeSpan.FromTicks(Math.Min(asked.Ticks, MaxBackoff.Ticks)) : exponential;
    }
}
