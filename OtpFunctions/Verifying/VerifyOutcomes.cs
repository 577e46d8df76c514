using OtpFunctions.Challenges;
using OtpFunctions.Fraud;
using OtpFunctions.Telemetry;
using OtpFunctions.Webhooks;

namespace OtpFunctions.Verifying;

/// <summary>
/// What a decided verify tells the world: metrics, the log and webhooks. Called after the answer is stored; webhooks
/// are published without awaiting, so a webhook never slows or fails a verify.
/// </summary>
public sealed class VerifyOutcomes(OtpMetrics metrics, WebhookPublisher webhooks, VerificationTally fraudTally, ILogger<VerifyOutcomes> logger)
{
    public void Approved(Challenge challenge)
    {
        metrics.Verified(challenge.Channel.ToWire(), challenge.Purpose);
        OtpLog.CodeVerified(logger, challenge.Id.Value, challenge.MaskedTo);
        webhooks.Publish(WebhookEvents.VerificationApproved, challenge);
        fraudTally.Add(challenge);
    }

    /// <summary>An approval whose answer was lost and found committed: counted and logged when it happened, announced again.</summary>
    public void ApprovalFound(Challenge challenge) => webhooks.Publish(WebhookEvents.VerificationApproved, challenge);

    public void WrongCode(Challenge challenge, bool lockedNow)
    {
        metrics.Failed(challenge.Channel.ToWire(), challenge.Purpose);
        if (lockedNow)
        {
            metrics.Locked(challenge.Channel.ToWire(), challenge.Purpose);
            OtpLog.ChallengeLocked(logger, challenge.Id.Value, challenge.MaskedTo);
            webhooks.Publish(WebhookEvents.VerificationLocked, challenge);
        }
    }
}
