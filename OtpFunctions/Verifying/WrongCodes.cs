using OtpFunctions.Challenges;
using OtpFunctions.Http;

namespace OtpFunctions.Verifying;

/// <summary>A wrong code: counted on the challenge (which locks at its last attempt) and on its destination, in one transaction.</summary>
public sealed class WrongCodes(ChallengeStore store, ChallengeRules rules, VerifyOutcomes outcomes)
{
    /// <summary>The 400 with the attempts left, or null when another write came first (read again and decide again).</summary>
    public async Task<ApiError?> TryCountAsync(Challenge challenge, DestinationLimit limit, RateWindow failures, CancellationToken cancellationToken)
    {
        var attempts = challenge.FailedAttempts + 1;
        var lockedNow = attempts >= rules.Limits.MaxVerifyAttempts;
        var counted = challenge with { FailedAttempts = attempts, State = lockedNow ? ChallengeState.Locked : ChallengeState.Pending };
        var countedLimit = limit with { Failures = failures.Add() };
        if (!await store.TryCountFailureAsync(counted, countedLimit, rules.LimitPurgeAt(countedLimit), cancellationToken))
        {
            return null;
        }

        outcomes.WrongCode(challenge, lockedNow);
        return ApiError.InvalidCode(rules.AttemptsLeft(counted));
    }
}
