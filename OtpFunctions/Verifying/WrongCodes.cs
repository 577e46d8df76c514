using OtpFunctions.Challenges;
using OtpFunctions.Configuration;

namespace OtpFunctions.Verifying;

/// <summary>A wrong code: counted on the challenge (which locks at its last attempt) and on its destination, in one transaction.</summary>
public sealed class WrongCodes(ChallengeStore store, ChallengeViews views, IOptions<OtpOptions> options, VerifyOutcomes outcomes)
{
    /// <summary>The 400 with the attempts left, or null when another write came first (read again and decide again).</summary>
    public async Task<ApiError?> TryCountAsync(Challenge challenge, DestinationLimit limit, RateWindow failures, CancellationToken cancellationToken)
    {
        var writes = Count(challenge, limit, failures, options.Value.MaxVerifyAttempts);
        if (!await store.TryCountFailureAsync(writes.Counted, writes.Limit, writes.Limit.LiveUntil(options.Value), cancellationToken))
        {
            return null;
        }

        outcomes.WrongCode(challenge, writes.LockedNow);
        return ApiError.InvalidCode(views.AttemptsLeft(writes.Counted));
    }

    /// <summary>
    /// The decision, free of storage: one more failed attempt on the challenge, which locks at its
    /// <paramref name="maxAttempts"/>th, and one more wrong code in its destination's current window.
    /// </summary>
    public static WrongCodeWrites Count(Challenge challenge, DestinationLimit limit, RateWindow failures, int maxAttempts)
    {
        var attempts = challenge.FailedAttempts + 1;
        var lockedNow = attempts >= maxAttempts;
        var counted = challenge with { FailedAttempts = attempts, State = lockedNow ? ChallengeState.Locked : ChallengeState.Pending };
        return new WrongCodeWrites(counted, limit with { Failures = failures.Add() }, lockedNow);
    }
}

/// <summary>The rows a wrong code writes in one transaction, and whether it locked the challenge.</summary>
public sealed record WrongCodeWrites(Challenge Counted, DestinationLimit Limit, bool LockedNow);
