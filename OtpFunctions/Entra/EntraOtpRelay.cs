using Microsoft.Extensions.Logging;
using OtpFunctions.Challenges;
using OtpFunctions.Delivery;
using OtpFunctions.Security;
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
    ChallengeStore store,
    DeliveryHandOff deliveryHandOff,
    DeliveryProtector protector,
    OtpHasher hasher,
    ExpiryIndex expiryIndex,
    ChallengeRules rules,
    OtpMetrics metrics,
    TimeProvider time,
    ILogger<EntraOtpRelay> logger)
{
    /// <summary>The template purpose of Entra's sign-up and sign-in emails: <c>email/{locale}/entra.*.liquid</c>.</summary>
    public const string Purpose = "entra";

    public async Task RelayAsync(OtpSendEvent otpSend, CancellationToken cancellationToken)
    {
        using var activity = OtpTelemetry.Source.StartActivity("otp.entra.relay");
        var destination = otpSend.Destination;
        var now = time.GetUtcNow();
        var partitionKey = hasher.DestinationKey(destination.Channel, destination.Normalized);
        var id = ChallengeId.Create(partitionKey, CodeGenerator.NewToken());
        var challenge = new Challenge
        {
            Id = id,
            Channel = Channel.Email,
            Purpose = Purpose,
            Locale = otpSend.Locale,
            MaskedTo = destination.Masked,
            SealedTo = protector.SealDestination(id.Value, destination.Normalized),
            CodeHash = hasher.HashCode(id.Value, otpSend.Code),
            CodeVersion = 1,
            OperationId = Guid.NewGuid(),
            CreatedAt = now,
            LastSentAt = now,
            // How long delivery keeps trying; Entra decides how long the code itself works.
            ExpiresAt = now + rules.Limits.CodeLifetime,
            State = ChallengeState.Pending,
            FailedAttempts = 0,
            Relayed = true,
        };

        await store.SaveRelayedChallengeAsync(challenge, cancellationToken);
        SweepHint[] sweep = [new(partitionKey, challenge.ExpiresAt + ChallengeEntity.Retention)];
        try
        {
            await deliveryHandOff.EnqueueAsync(challenge, otpSend.Code, sweep, cancellationToken);
        }
        catch
        {
            // Entra gets an error and (if so configured) falls back to its own email; these rows must still be swept.
            await Task.WhenAll(
                expiryIndex.AddAsync(sweep, CancellationToken.None),
                store.UpdateDeliveryAsync(id, challenge.CodeVersion, new DeliveryState(DeliveryStatus.Failed, time.GetUtcNow(), "could not be queued", null, 0), CancellationToken.None))
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        // Entra is the caller here: neither a configured server caller nor anonymous.
        metrics.Sent(Channel.Email.ToWire(), Purpose, caller: "entra");
        activity?.SetTag("otp.challenge_id", id.Value);
        OtpLog.EntraCodeRelayed(logger, id.Value, challenge.MaskedTo, otpSend.Locale, otpSend.CorrelationId);
    }
}
