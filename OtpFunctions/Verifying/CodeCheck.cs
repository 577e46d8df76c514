using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Security;

namespace OtpFunctions.Verifying;

/// <summary>Whether a challenge can take a code now (its state, its destination's wrong-code block) and whether the code matches.</summary>
public sealed class CodeCheck(OtpHasher hasher, ChallengeRefusals refusals, IOptions<OtpOptions> options, TimeProvider time)
{
    private readonly OtpOptions limits = options.Value;

    public Result<CodeVerdict> Check(ChallengeId id, string code, Challenge? challenge, DestinationLimit limit)
    {
        var now = time.GetUtcNow();
        if (refusals.Refusal(challenge, now, forVerify: true) is { } refusal)
        {
            return refusal;
        }

        var failures = limit.Failures.Current(now, limits.FailureWindow);
        if (failures.Count >= limits.MaxFailuresPerDestination)
        {
            return ApiError.Locked() with { Message = "Too many wrong codes for this destination; try again later." };
        }

        return new CodeVerdict(hasher.CodeMatches(id.Value, code, challenge!.CodeHash), now, failures);
    }
}

/// <summary>A code checked against a challenge that could take it, at <see cref="Now"/>, with the destination's current wrong-code window.</summary>
public sealed record CodeVerdict(bool Matches, DateTimeOffset Now, RateWindow Failures);
