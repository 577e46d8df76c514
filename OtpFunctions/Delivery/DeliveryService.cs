using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Delivery.Templates;
using OtpFunctions.Storage;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Delivery;

/// <summary>
/// Turns one queue message into one provider call and records the outcome on the challenge. Stale,
/// malformed and undecryptable messages are dropped (logged), never retried; transient provider
/// failures are queued again with back-off (and the provider's Retry-After) until the last attempt,
/// which marks the delivery failed and moves the message to the poison queue.
/// </summary>
public sealed class DeliveryService(
    ChallengeStore store,
    OtpStorage storage,
    Sweeping.ExpiryIndex expiryIndex,
    DeliveryProtector protector,
    TemplateRenderer renderer,
    [FromKeyedServices(Channel.Sms)] IDeliveryProvider smsProvider,
    [FromKeyedServices(Channel.Email)] IDeliveryProvider emailProvider,
    OtpMetrics metrics,
    Webhooks.WebhookPublisher webhooks,
    IOptions<OtpOptions> options,
    IOptions<DeliveryRetryOptions> retry,
    TimeProvider time,
    ILogger<DeliveryService> logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    public async Task DeliverAsync(string message, CancellationToken cancellationToken)
    {
        using var activity = OtpTelemetry.Source.StartActivity("otp.deliver");
        if (!DeliveryProtector.TryParse(message, out var envelope) || !ChallengeId.TryParse(envelope!.ChallengeId, out var id))
        {
            OtpLog.DeliveryMessageMalformed(logger, "not a delivery envelope");
            return;
        }

        // Filed before anything is sent, whatever becomes of the message: these rows exist whether or not it is
        // delivered. Filed beside the read rather than before it: one round trip in sequence instead of two.
        var filing = expiryIndex.AddAsync(envelope.Sweep ?? [], cancellationToken);
        var reading = store.GetForDeliveryAsync(id, cancellationToken);
        await Task.WhenAll(filing, reading);
        var read = reading.Result;
        var challenge = read.Challenge;
        if (StaleReason(challenge, envelope) is { } reason)
        {
            OtpLog.DeliveryDropped(logger, envelope.ChallengeId, reason);
            return;
        }

        if (!protector.TryOpen(envelope, out var secret))
        {
            OtpLog.DeliveryMessageMalformed(logger, "the envelope does not decrypt under the current key");
            await store.UpdateDeliveryAsync(read, envelope.CodeVersion, Failed(challenge!, "message could not be decrypted"), cancellationToken);
            webhooks.Publish(Webhooks.WebhookEvents.DeliveryFailed, challenge!, "message could not be decrypted");
            return;
        }

        // Checked again at the last moment: removing a country during a pumping incident must also stop the
        // codes already queued for it, not only new sends and resends.
        if (challenge!.Channel == Channel.Sms && challenge.CallingCode is { } callingCode && !options.Value.Sms.Allows(callingCode))
        {
            var notAllowed = $"SMS to +{callingCode} is not enabled (Otp:Sms:AllowedCountryCodes)";
            OtpLog.DeliveryDropped(logger, envelope.ChallengeId, notAllowed);
            await store.UpdateDeliveryAsync(read, envelope.CodeVersion, Failed(challenge, notAllowed), cancellationToken);
            return;
        }

        var provider = challenge.Channel == Channel.Sms ? smsProvider : emailProvider;
        activity?.SetTag("otp.challenge_id", envelope.ChallengeId);
        activity?.SetTag("otp.provider", provider.Name);
        var rendered = renderer.Render(challenge.Channel, challenge.Purpose, challenge.Locale, secret!.Code, options.Value.CodeLifetime);
        var request = new DeliveryRequest(envelope.ChallengeId, challenge.Channel, secret.To, challenge.MaskedTo, rendered, envelope.OperationId, envelope.FirstSentAt);
        var started = Stopwatch.GetTimestamp();
        var outcome = await SendAsync(provider, request, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var attempts = challenge.Delivery!.Attempts + 1;
        var now = time.GetUtcNow();

        switch (outcome.Kind)
        {
            case DeliveryOutcomeKind.Sent:
                metrics.Delivery(provider.Name, "sent", elapsed);
                // What the user feels: from the send's 202 (this code's LastSentAt) to the provider taking the message.
                metrics.CodeInHand(challenge.Channel.ToWire(), now - envelope.FirstSentAt);
                OtpLog.DeliverySent(logger, envelope.ChallengeId, challenge.MaskedTo, provider.Name, outcome.ProviderMessageId);
                // Indexed before the status says "sent": a retry after a failed index write is then not dropped as done,
                // and a report arriving at once already finds its challenge.
                if (outcome.ProviderMessageId is { Length: > 0 } messageId)
                {
                    // The index row and its sweep entry are independent writes: made together.
                    var purgeAt = challenge.ExpiresAt + ChallengeEntity.Retention;
                    await Task.WhenAll(
                        store.IndexProviderMessageAsync(messageId, id, envelope.CodeVersion, purgeAt, cancellationToken),
                        expiryIndex.AddAsync(ChallengeStore.ProviderMessagePartition(messageId), purgeAt, cancellationToken));
                }

                await store.UpdateDeliveryAsync(read, envelope.CodeVersion, new DeliveryState(DeliveryStatus.Sent, now, null, outcome.ProviderMessageId, attempts), cancellationToken);
                return;
            case DeliveryOutcomeKind.Permanent:
                metrics.Delivery(provider.Name, "failed", elapsed);
                OtpLog.DeliveryFailed(logger, envelope.ChallengeId, challenge.MaskedTo, provider.Name, outcome.Error);
                await store.UpdateDeliveryAsync(read, envelope.CodeVersion, new DeliveryState(DeliveryStatus.Failed, now, outcome.Error, null, attempts), cancellationToken);
                webhooks.Publish(Webhooks.WebhookEvents.DeliveryFailed, challenge, "refused by the provider");
                return;
        }

        metrics.Delivery(provider.Name, "transient", elapsed);
        var wait = Backoff(attempts, outcome.RetryAfter);
        if (attempts >= retry.Value.MaxAttempts || now + wait >= challenge.ExpiresAt)
        {
            var gaveUp = $"gave up after {attempts} attempts: {outcome.Error}";
            OtpLog.DeliveryPoisoned(logger, envelope.ChallengeId, challenge.MaskedTo, provider.Name, attempts, outcome.Error);
            await store.UpdateDeliveryAsync(read, envelope.CodeVersion, new DeliveryState(DeliveryStatus.Failed, now, gaveUp, null, attempts), cancellationToken);
            // Kept where the host keeps what it gave up on, for an operator to inspect (and the poison alert to count).
            await storage.PoisonQueue.SendMessageAsync(message, cancellationToken);
            webhooks.Publish(Webhooks.WebhookEvents.DeliveryFailed, challenge, $"gave up after {attempts} attempts");
            return;
        }

        OtpLog.DeliveryTransient(logger, envelope.ChallengeId, challenge.MaskedTo, provider.Name, attempts, outcome.Error);
        await store.UpdateDeliveryAsync(read, envelope.CodeVersion, challenge.Delivery! with { UpdatedAt = now, Error = outcome.Error, Attempts = attempts }, cancellationToken);
        // Queued again rather than thrown: the trigger's own retry neither backs off nor honours Retry-After.
        // The copy carries the same operation id, so the provider still sees one message.
        await storage.Queue.SendMessageAsync(message, visibilityTimeout: wait, timeToLive: challenge.ExpiresAt - now, cancellationToken: cancellationToken);
    }

    /// <summary>Exponential back-off from the configured base, never sooner than the provider asked.</summary>
    private TimeSpan Backoff(int attempts, TimeSpan? retryAfter)
    {
        var exponential = TimeSpan.FromTicks(Math.Min(retry.Value.BaseDelay.Ticks * (1L << Math.Min(attempts - 1, 16)), MaxBackoff.Ticks));
        return retryAfter is { } asked && asked > exponential ? TimeSpan.FromTicks(Math.Min(asked.Ticks, MaxBackoff.Ticks)) : exponential;
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

    private static async Task<DeliveryOutcome> SendAsync(IDeliveryProvider provider, DeliveryRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await provider.SendAsync(request, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException or IOException || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return DeliveryOutcome.Transient($"{provider.Name} did not answer ({exception.GetType().Name})");
        }
    }

    private DeliveryState Failed(Challenge challenge, string error) =>
        new(DeliveryStatus.Failed, time.GetUtcNow(), error, null, challenge.Delivery!.Attempts + 1);
}
