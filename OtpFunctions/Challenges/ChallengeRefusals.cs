using OtpFunctions.Configuration;
using OtpFunctions.Security;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Challenges;

/// <summary>Why a challenge cannot take a verify or another code now: its state, its lifetime, its resend cooldown.</summary>
public sealed class ChallengeRefusals(OtpHasher hasher, OtpMetrics metrics, RateLimits rateLimits, IOptions<OtpOptions> options)
{
    private readonly OtpOptions limits = options.Value;

    /// <summary>The api.md error for a challenge that cannot take a verify or resend, or null if it can.</summary>
    public ApiError? Refusal(Challenge? challenge, DateTimeOffset now, bool forVerify)
    {
        // A relayed code is verified by whoever generated it, never here: to our routes it does not exist.
        if (challenge is null || challenge.Relayed)
        {
            return ApiError.NotFound();
        }

        switch (challenge.State)
        {
            case ChallengeState.Approved:
                return ApiError.AlreadyVerified();
            case ChallengeState.Canceled:
                return ApiError.Expired();
        }

        // An expired challenge is over for resends too: api.md asks for a new POST /api/otp. So is a code
        // hashed under a pepper no longer configured: it can never match, and must not cost an attempt.
        if (challenge.IsExpired(now) || (forVerify && !hasher.CanCheck(challenge.CodeHash)))
        {
            if (forVerify)
            {
                metrics.Expired(challenge.Channel.ToWire(), challenge.Purpose);
            }

            return ApiError.Expired();
        }

        return challenge.State == ChallengeState.Locked ? ApiError.Locked() : null;
    }

    /// <summary>The 429 while <paramref name="challenge"/>'s last code is younger than the resend cooldown, or null.</summary>
    public ApiError? Cooldown(Challenge challenge, DateTimeOffset now)
    {
        var resendAfter = challenge.LastSentAt + limits.ResendCooldown;
        return now < resendAfter ? rateLimits.Refuse(RateLimitScope.Cooldown, resendAfter - now, "Wait before asking for another code.") : null;
    }
}
