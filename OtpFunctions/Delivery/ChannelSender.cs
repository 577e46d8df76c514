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
        var channel = challenge.DeliveryChannel;
        var provider = channels.Provider(channel);
        Activity.Current?.SetTag("otp.provider", provider.Name);
        var rendered = renderer.Render(channel, challenge.Template ?? challenge.Purpose, challenge.Locale, secret.Code, options.Value.CodeLifetime);
        var request = new DeliveryRequest(code.ChallengeId, channel, secret.To, challenge.MaskedTo, rendered, OperationIdFor(code, channel), code.Envelope.FirstSentAt)
        {
            Code = secret.Code,
            Locale = challenge.Locale,
            CodeVersion = code.CodeVersion,
        };
        var started = Stopwatch.GetTimestamp();
        var outcome = await CallAsync(provider, request, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var answeredAt = time.GetUtcNow();
        metrics.Delivery(provider.Name, MetricOutcome(outcome.Kind), elapsed);
        if (outcome.Kind == DeliveryOutcomeKind.Sent)
        {
            // What the user feels: from the send's 202 (this code's LastSentAt) to the provider taking the message.
            metrics.CodeInHand(channel.ToWire(), answeredAt - code.Envelope.FirstSentAt);
        }

        return new SendAttempt(provider.Name, outcome, answeredAt);
    }

    /// <summary>
    /// The code's operation id on its first channel; each fallback channel gets its own, derived from it, so the
    /// provider's repeatability never mistakes the next channel's message for a retry of the one that failed.
    /// </summary>
    private static Guid OperationIdFor(QueuedCode code, Channel channel)
    {
        if (channel == code.Challenge.Channel)
        {
            return code.Envelope.OperationId;
        }

        Span<byte> bytes = stackalloc byte[16];
        code.Envelope.OperationId.TryWriteBytes(bytes);
        bytes[15] ^= (byte)(1 + (int)channel);
        return new Guid(bytes);
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
