using OtpFunctions.Challenges;
using OtpFunctions.Delivery;
using OtpFunctions.Sweeping;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Entra;

/// <summary>
/// Hands an Entra-generated code to our delivery path exactly as our own codes travel: a challenge row that holds
/// only the code's keyed hash and the sealed destination, and an encrypted message on the delivery queue. The
/// queue function then renders the <see cref="Purpose"/> template and sends it with retries, status and metrics.
/// Nothing is sent inline: Entra waits two seconds at most.
/// </summary>
public sealed class EntraOtpRelay(
    RelayedChallenges challenges,
    ChallengeStore store,
    DeliveryHandOff deliveryHandOff,
    OtpMetrics metrics,
    ILogger<EntraOtpRelay> logger)
{
    /// <summary>The template purpose of Entra's sign-up and sign-in emails: <c>email/{locale}/entra.*.liquid</c>.</summary>
    public const string Purpose = "entra";

    public async Task RelayAsync(OtpSendEvent otpSend, CancellationToken cancellationToken)
    {
        using var activity = OtpTelemetry.Source.StartActivity("otp.entra.relay");
        var challenge = challenges.New(otpSend);
        await store.SaveRelayedChallengeAsync(challenge, cancellationToken);
        await HandOffAsync(challenge, otpSend.Code, cancellationToken);

        // Entra is the caller here: neither a configured server caller nor anonymous.
        metrics.Sent(Channel.Email.ToWire(), Purpose, caller: "entra");
        activity?.SetTag("otp.challenge_id", challenge.Id.Value);
        OtpLog.EntraCodeRelayed(logger, challenge.Id.Value, challenge.MaskedTo, otpSend.Locale, otpSend.CorrelationId);
    }

    private async Task HandOffAsync(Challenge challenge, string code, CancellationToken cancellationToken)
    {
        SweepHint[] sweep = [new(challenge.Id.PartitionKey, challenge.ExpiresAt + ChallengeEntity.Retention)];
        try
        {
            await deliveryHandOff.EnqueueAsync(challenge, code, sweep, cancellationToken);
        }
        catch
        {
            // Entra gets an error and (if so configured) falls back to its own email; these rows must still be swept.
            await deliveryHandOff.MarkNotQueuedAsync(challenge, sweep);
            throw;
        }
    }
}
