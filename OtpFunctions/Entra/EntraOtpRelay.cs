using OtpFunctions.Callers;
using OtpFunctions.Challenges;
using OtpFunctions.Delivery;
using OtpFunctions.Sending;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Entra;

/// <summary>
/// Hands an Entra-generated code to our delivery path exactly as our own codes travel: a challenge row that holds
/// only the code's keyed hash and the sealed destination, and an encrypted message on the delivery queue. The
/// queue function then renders the <see cref="Purpose"/> template and sends it with retries, status and metrics.
/// Nothing is sent inline: Entra waits two seconds at most.
/// </summary>
public sealed class EntraOtpRelay(
    CodeMinter minter,
    ChallengeStore store,
    DeliveryHandOff deliveryHandOff,
    SendBudgets budgets,
    OtpMetrics metrics,
    ILogger<EntraOtpRelay> logger)
{
    /// <summary>The template purpose of Entra's sign-up and sign-in emails: <c>email/{locale}/entra.*.liquid</c>.</summary>
    public const string Purpose = "entra";

    /// <summary>Null once the code is queued; the refusal when the email budget is spent (Entra may then send its own email).</summary>
    public async Task<BudgetRefusal?> RelayAsync(OtpSendEvent otpSend, CancellationToken cancellationToken)
    {
        using var activity = OtpTelemetry.Source.StartActivity("otp.entra.relay");

        // Entra's emails use the same provider quota as ours: they count in the email budget, on its keyed side.
        if ((await budgets.ReserveAsync(Caller.ForRelay("entra"), phoneCallingCode: null, cancellationToken)).Refusal is { } refusal)
        {
            return refusal;
        }

        var challenge = minter.Relayed(otpSend.Destination, otpSend.Code, Purpose, otpSend.Locale).Challenge;
        await store.SaveRelayedChallengeAsync(challenge, cancellationToken);
        await deliveryHandOff.HandOffAsync(challenge, otpSend.Code, otpSend.Destination.Normalized, cancellationToken);

        // Entra is the caller here: neither a configured server caller nor anonymous.
        metrics.Sent(Channel.Email.ToWire(), Purpose, caller: "entra");
        activity?.SetTag("otp.challenge_id", challenge.Id.Value);
        OtpLog.EntraCodeRelayed(logger, challenge.Id.Value, challenge.MaskedTo, otpSend.Locale, otpSend.CorrelationId);
        return null;
    }
}
