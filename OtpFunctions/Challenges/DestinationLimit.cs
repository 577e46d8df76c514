using Azure;
using OtpFunctions.Configuration;

namespace OtpFunctions.Challenges;

/// <summary>The send window of one destination and the pending challenge per purpose.</summary>
public sealed record DestinationLimit(string PartitionKey, RateWindow Window, IReadOnlyDictionary<string, PendingChallenge> Pending, ETag ETag)
{
    /// <summary>Wrong codes for this destination across its challenges since the last correct one (NIST SP 800-63B 5.2.2).</summary>
    public RateWindow Failures { get; init; } = RateWindow.Empty;

    /// <summary>When the sweeper may delete the row, as stored; a live row means its partition is filed for the sweeper.</summary>
    public DateTimeOffset PurgeAt { get; init; }

    public bool Exists => ETag != default;

    /// <summary>How long the row matters as it is now: until its send window, its wrong-code window and its pending codes have all ended.</summary>
    public DateTimeOffset LiveUntil(OtpOptions limits)
    {
        var end = Window.End(limits.SendWindow);
        if (Failures.Count > 0 && Failures.End(limits.FailureWindow) > end)
        {
            end = Failures.End(limits.FailureWindow);
        }

        foreach (var pending in Pending.Values)
        {
            end = pending.ExpiresAt > end ? pending.ExpiresAt : end;
        }

        return end;
    }
}

public sealed record PendingChallenge(string ChallengeId, DateTimeOffset ExpiresAt);
