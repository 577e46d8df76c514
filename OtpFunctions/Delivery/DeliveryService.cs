using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Delivery;

/// <summary>
/// Turns one queue message into one provider call and records the outcome on the challenge: the path of a code
/// from the queue to the user. Each step's rules live in the class that takes it.
/// </summary>
public sealed class DeliveryService(
    DeliveryIntake intake,
    IOptions<OtpOptions> options,
    ChannelSender sender,
    DeliveryRecorder recorder,
    DeliveryRetry retry)
{
    public async Task DeliverAsync(string message, CancellationToken cancellationToken)
    {
        using var activity = OtpTelemetry.Source.StartActivity("otp.deliver");
        if (await intake.ReadAsync(message, cancellationToken) is not { } code)
        {
            return;
        }

        if (code.Secret is not { } secret)
        {
            await recorder.UndecryptableAsync(code, cancellationToken);
            return;
        }

        if (CountryNotAllowed(code.Challenge, secret) is { } notAllowed)
        {
            await recorder.NotAllowedAsync(code, notAllowed, cancellationToken);
            return;
        }

        activity?.SetTag("otp.challenge_id", code.ChallengeId);
        var attempt = await sender.SendAsync(code, secret, cancellationToken);
        await (attempt.Outcome.Kind switch
        {
            DeliveryOutcomeKind.Sent => recorder.SentAsync(code, attempt, cancellationToken),
            DeliveryOutcomeKind.Permanent => recorder.RefusedAsync(code, attempt, cancellationToken),
            _ => retry.RetryOrGiveUpAsync(code, attempt, cancellationToken),
        });
    }

    /// <summary>
    /// Checked again at the last moment: removing a country during a pumping incident must also stop the
    /// codes already queued for it, not only new sends and resends. A row without a calling code (written before
    /// rows kept one) is judged by the number itself, and one whose number does not parse is not sent.
    /// </summary>
    private string? CountryNotAllowed(Challenge challenge, DeliverySecret secret)
    {
        if (!challenge.Channel.IsPhone())
        {
            return null;
        }

        return (challenge.CallingCode ?? Destination.CallingCodeOf(secret.To)) switch
        {
            null when options.Value.Sms.AllowedCountryCodes.Count > 0 => "the number's calling code cannot be read (Otp:Sms:AllowedCountryCodes)",
            { } callingCode when !options.Value.Sms.Allows(callingCode) => $"SMS to +{callingCode} is not enabled (Otp:Sms:AllowedCountryCodes)",
            _ => null,
        };
    }
}
