using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Delivery.Templates;
using OtpFunctions.Security;
using OtpFunctions.Telemetry;
using OtpFunctions.Webhooks;

namespace OtpFunctions.Delivery.Voice;

/// <summary>
/// Drives one code's voice call from ACS's callbacks: connected → read the code out (the voice template, in the
/// challenge's locale) → play completed → hang up, delivered. A call that fails, or ends before the code was read,
/// marks delivery failed and starts the next fallback channel. The spoken text exists only in memory, on its way to ACS.
/// </summary>
public sealed class VoiceCallbacks(
    ChallengeStore store,
    DeliveryProtector protector,
    DeliveryChannels channels,
    TemplateRenderer renderer,
    IOptions<OtpOptions> options,
    OtpHasher hasher,
    DeliveryFallback fallback,
    WebhookPublisher webhooks,
    TimeProvider time,
    ILogger<VoiceCallbacks> logger)
{
    public bool IsSigned(string challengeId, int codeVersion, string? signature) => hasher.CallSignatureMatches(challengeId, codeVersion, signature);

    public async Task ApplyAsync(ChallengeId id, int codeVersion, IReadOnlyList<CallEvent> events, CancellationToken cancellationToken)
    {
        foreach (var callEvent in events)
        {
            var read = await store.GetForDeliveryAsync(id, cancellationToken);
            if (read.Challenge is not { } challenge || challenge.CodeVersion != codeVersion || challenge.DeliveryChannel != Channel.Voice
                || challenge.Delivery is not { Status: DeliveryStatus.Sent } delivery || callEvent.CallConnectionId is not { } call || delivery.ProviderMessageId != call)
            {
                // Late or repeated callbacks (the call already settled, a newer code, another call) change nothing.
                continue;
            }

            OtpLog.CallEvent(logger, id.Value, callEvent.Name, callEvent.Result ?? "ok");
            await (callEvent.Name switch
            {
                "CallConnected" => ConnectedAsync(challenge, delivery, call, cancellationToken),
                "PlayCompleted" => CompletedAsync(challenge, call, cancellationToken),
                "CreateCallFailed" or "PlayFailed" or "CallDisconnected" or "PlayCanceled" => FailedAsync(challenge, call, $"{callEvent.Name} {callEvent.Result}".Trim(), cancellationToken),
                _ => Task.CompletedTask,
            });
        }
    }

    private async Task ConnectedAsync(Challenge challenge, DeliveryState delivery, string call, CancellationToken cancellationToken)
    {
        if (Control() is not { } control || delivery.Envelope is null || !DeliveryProtector.TryParse(delivery.Envelope, out var envelope) || !protector.TryOpen(envelope!, out var secret))
        {
            await FailedAsync(challenge, call, "the code could not be read for the call", cancellationToken);
            return;
        }

        var text = renderer.Render(Channel.Voice, challenge.Purpose, challenge.Locale, secret!.Code, options.Value.CodeLifetime).Text;
        var played = await control.PlayAsync(call, text, challenge.Locale, cancellationToken);
        if (played.Kind != DeliveryOutcomeKind.Sent)
        {
            await FailedAsync(challenge, call, played.Error ?? "the code could not be played", cancellationToken);
        }
    }

    private async Task CompletedAsync(Challenge challenge, string call, CancellationToken cancellationToken)
    {
        await store.ChangeDeliveryAsync(challenge.Id, challenge.CodeVersion, current => current.Status == DeliveryStatus.Sent && current.ProviderMessageId == call
            ? current with { Status = DeliveryStatus.Delivered, UpdatedAt = time.GetUtcNow(), Error = null, Envelope = null }
            : current, cancellationToken);
        if (Control() is { } control)
        {
            await control.HangUpAsync(call, cancellationToken);
        }
    }

    private async Task FailedAsync(Challenge challenge, string call, string reason, CancellationToken cancellationToken)
    {
        await store.ChangeDeliveryAsync(challenge.Id, challenge.CodeVersion, current => current.Status == DeliveryStatus.Sent && current.ProviderMessageId == call
            ? current with { Status = DeliveryStatus.Failed, UpdatedAt = time.GetUtcNow(), Error = reason }
            : current, cancellationToken);
        if (!await fallback.TryNextAsync(challenge.Id, challenge.CodeVersion, cancellationToken))
        {
            webhooks.Publish(WebhookEvents.DeliveryFailed, challenge, "the voice call failed or was not answered");
        }
    }

    private IVoiceCallControl? Control() => channels.Provider(Channel.Voice) as IVoiceCallControl;
}
