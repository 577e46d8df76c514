using OtpFunctions.Configuration;
using OtpFunctions.Security;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Challenges;

/// <summary>
/// The limits every challenge operation applies the same way: which challenges can still take a code,
/// what is left of a budget, how long a limit row must live, and how a refusal is counted and logged.
/// </summary>
public sealed class ChallengeRules(OtpHasher hasher, OtpMetrics metrics, IOptions<OtpOptions> options, ILogger<ChallengeRules> logger)
{
    /// <summary>Twenty racing requests settle within twenty rounds; the margin covers jittered retries.</summary>
    public const int MaxRounds = 64;

    private readonly OtpOptions limits = options.Value;

    public OtpOptions Limits => limits;

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

    public ApiError RateLimited(RateLimitScope scope, TimeSpan retryAfter, string message)
    {
        metrics.RateLimited(scope.ToWire());
        OtpLog.RateLimited(logger, scope.ToWire(), ApiError.Seconds(retryAfter));
        return ApiError.RateLimited(retryAfter, message);
    }

    public DateTimeOffset LimitPurgeAt(DestinationLimit limit)
    {
        var end = limit.Window.End(limits.SendWindow);
        if (limit.Failures.Count > 0 && limit.Failures.End(limits.FailureWindow) > end)
        {
            end = limit.Failures.End(limits.FailureWindow);
        }

        foreach (var pending in limit.Pending.Values)
        {
            end = pending.ExpiresAt > end ? pending.ExpiresAt : end;
        }

        return end;
    }

    /// <summary>The 202 body of a send or resend: <paramref name="window"/> is the destination's, with this send counted.</summary>
    public ChallengeView View(Challenge challenge, RateWindow window) => new(
        challenge.Id.Value,
        challenge.Channel.ToWire(),
        challenge.MaskedTo,
        "pending",
        challenge.ExpiresAt,
        CeilingToSecond(challenge.LastSentAt + limits.ResendCooldown),
        AttemptsLeft(challenge),
        SendsLeft(window));

    public int AttemptsLeft(Challenge challenge) => Math.Max(0, limits.MaxVerifyAttempts - challenge.FailedAttempts);

    public int SendsLeft(RateWindow window) => Math.Max(0, limits.MaxSendsPerDestination - window.Count);

    // Times are shown to the second and rounded down, except this one: a client that waits until it must not be refused.
    private static DateTimeOffset CeilingToSecond(DateTimeOffset at) =>
        new(((at.UtcTicks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond) * TimeSpan.TicksPerSecond, TimeSpan.Zero);

    public static Task BackOffAsync(int round, CancellationToken cancellationToken) =>
        round < 2 ? Task.CompletedTask : Task.Delay(Random.Shared.Next(1, 5 * Math.Min(round, 10)), cancellationToken);
}
