using System.Diagnostics;
using OtpFunctions.Configuration;
using OtpFunctions.Delivery.Templates;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Delivery;

/// <summary>Renders a code's message and hands it to its channel's provider, timing and counting the answer.</summary>
public sealed class ChannelSender(
    DeliveryChannels channels,
    TemplateRenderer renderer,
    IOptions<OtpOptions> options,
    OtpMetrics metrics,
    TimeProvider time)
{
    public async Task<SendAttempt> SendAsync(QueuedCode code, DeliverySecret secret, CancellationToken cancellationToken)
    {
        var challenge = code.Challenge;
        var provider = channels.Provider(challenge.Channel);
        Activity.Current?.SetTag("otp.provider", provider.Name);
        var rendered = renderer.Render(challenge.Channel, challenge.Template ?? challenge.Purpose, challenge.Locale, secret.Code, options.Value.CodeLifetime);
        var request = new DeliveryRequest(code.ChallengeId, challenge.Channel, secret.To, challenge.MaskedTo, rendered, code.Envelope.OperationId, code.Envelope.FirstSentAt);
        var started = Stopwatch.GetTimestamp();
        var outcome = await CallAsync(provider, request, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var answeredAt = time.GetUtcNow();
        metrics.Delivery(provider.Name, MetricOutcome(outcome.Kind), elapsed);
        if (outcome.Kind == DeliveryOutcomeKind.Sent)
        {
            // What the user feels: from the send's 202 (this code's LastSentAt) to the provider taking the message.
            metrics.CodeInHand(challenge.Channel.ToWire(), answeredAt - code.Envelope.FirstSentAt);
        }

        return new SendAttempt(provider.Name, outcome, answeredAt);
    }

    /// <summary>A provider that does not answer is a transient failure like any 5xx, not an exception.</summary>
    private static async Task<DeliveryOutcome> CallAsync(IDeliveryProvider provider, DeliveryRequest request, CancellationToken cancellationToken)
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

    private static string MetricOutcome(DeliveryOutcomeKind kind) => kind switch
    {
        DeliveryOutcomeKind.Sent => "sent",
        DeliveryOutcomeKind.Permanent => "failed",
        _ => "transient",
    };
}
