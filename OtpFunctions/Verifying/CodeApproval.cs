using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Security;
using OtpFunctions.Sessions;

namespace OtpFunctions.Verifying;

/// <summary>
/// A right code: consumed, and its session created, in one transaction (which also forgets the destination's
/// wrong codes); the answer carries the session token.
/// </summary>
public sealed class CodeApproval(ChallengeStore store, SessionStore sessions, SessionTokens tokens, IOptions<OtpOptions> options, VerifyOutcomes outcomes)
{
    /// <summary>The answer, or null and the session tried when another write came first (read again and decide again).</summary>
    public async Task<(ApprovedView? Answer, SessionRecord Attempted)> TryApproveAsync(Challenge challenge, DestinationLimit limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (approved, session, cleared) = Approve(challenge, limit, now, options.Value.SessionLifetime);
        if (!await store.TryApproveAsync(approved, session, cleared, cleared is null ? default : cleared.LiveUntil(options.Value), cancellationToken))
        {
            return (null, session);
        }

        outcomes.Approved(challenge);
        return (Answer(session), session);
    }

    /// <summary>
    /// The decision, free of storage: the challenge consumed at <paramref name="now"/>, the session it buys (its token
    /// id in the challenge's partition), and the limit row with its wrong codes forgotten, or null when it has none.
    /// </summary>
    public static ApprovalWrites Approve(Challenge challenge, DestinationLimit limit, DateTimeOffset now, TimeSpan sessionLifetime)
    {
        var id = challenge.Id;
        var approved = challenge with { State = ChallengeState.Approved, VerifiedAt = now };
        var session = new SessionRecord(id.PartitionKey + CodeGenerator.NewToken(), id.PartitionKey, challenge.MaskedTo, challenge.Channel, challenge.Purpose, id.Value, now, now + sessionLifetime);

        // Touch the limit row only when there are failures to forget, so a verify does not race sends needlessly.
        var cleared = limit.Failures.Count > 0 ? limit with { Failures = RateWindow.Empty } : null;
        return new ApprovalWrites(approved, session, cleared);
    }

    /// <summary>
    /// Our approval may have committed even though its answer was lost (the SDK then retried and got 412): the session
    /// row we tried to add tells. Null when it did not.
    /// </summary>
    public async Task<ApprovedView?> FindLostApprovalAsync(Challenge? challenge, SessionRecord? attempted, CancellationToken cancellationToken)
    {
        if (challenge?.State != ChallengeState.Approved || attempted is null
            || await sessions.GetAsync(attempted.PartitionKey, attempted.TokenId, cancellationToken) is null)
        {
            return null;
        }

        outcomes.ApprovalFound(challenge);
        return Answer(attempted);
    }

    private ApprovedView Answer(SessionRecord session) => new("approved", new SessionTokenView(tokens.Issue(session), session.ExpiresAt));
}

/// <summary>The rows a right code writes in one transaction: the approved challenge, its session, and the limit row when it changes.</summary>
public sealed record ApprovalWrites(Challenge Approved, SessionRecord Session, DestinationLimit? Cleared);
