using OtpFunctions.Challenges;
using OtpFunctions.Configuration;

namespace OtpFunctions.Sending;

/// <summary>
/// A destination's own limits on sends, read from its limit row: its send window and its wrong-code block.
/// Checked before the shared budgets are counted: a refused request must not spend them, or a flood of refusals
/// would drain the global SMS budget for everyone. The save loops check again on each re-read; only a send racing
/// another to the same destination can then end refused after counting.
/// </summary>
public sealed class DestinationRule(RateLimits rateLimits, IOptions<OtpOptions> options, TimeProvider time)
{
    public const string FullForNewCode = "Too many codes sent to this destination; wait before asking again.";
    public const string FullForResend = "No sends are left for this destination in this window.";

    private readonly OtpOptions limits = options.Value;

    /// <summary>The 429 when the destination takes no send now, or null.</summary>
    public ApiError? Refusal(DestinationLimit limit, string fullMessage)
    {
        var now = time.GetUtcNow();
        var window = limit.Window.Current(now, limits.SendWindow);
        if (window.Count >= limits.MaxSendsPerDestination)
        {
            return rateLimits.Refuse(RateLimitScope.Destination, window.End(limits.SendWindow) - now, fullMessage);
        }

        var failures = limit.Failures.Current(now, limits.FailureWindow);
        return failures.Count >= limits.MaxFailuresPerDestination
            ? rateLimits.Refuse(RateLimitScope.Failures, failures.End(limits.FailureWindow) - now, "Too many wrong codes for this destination; try again later.")
            : null;
    }

    /// <summary>
    /// The limit row with this send counted and <paramref name="next"/> as the pending code for its purpose, and
    /// the live pending code it supersedes (never when <paramref name="retireOld"/> is false).
    /// </summary>
    public CountedSend Count(DestinationLimit limit, string purpose, PendingChallenge next, DateTimeOffset now, bool retireOld)
    {
        var pending = limit.Pending.Where(pair => pair.Value.ExpiresAt > now).ToDictionary(StringComparer.Ordinal);
        var superseded = retireOld && pending.TryGetValue(purpose, out var previous) ? previous.ChallengeId : null;
        pending[purpose] = next;
        var counted = limit with { Window = limit.Window.Current(now, limits.SendWindow).Add(), Pending = pending };
        return new CountedSend(counted, counted.LiveUntil(limits), superseded);
    }

    /// <summary>The limit row with a relayed code's send counted: it takes no pending pointer (nothing here supersedes it, and it supersedes nothing).</summary>
    public CountedSend CountRelayed(DestinationLimit limit, DateTimeOffset now)
    {
        var counted = limit with { Window = limit.Window.Current(now, limits.SendWindow).Add() };
        return new CountedSend(counted, counted.LiveUntil(limits), Superseded: null);
    }
}

/// <summary>A destination's limit row with one more send counted, when the sweeper may delete it, and the challenge it retires.</summary>
public sealed record CountedSend(DestinationLimit Limit, DateTimeOffset PurgeAt, string? Superseded);
