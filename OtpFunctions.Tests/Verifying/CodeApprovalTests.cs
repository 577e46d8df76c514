using OtpFunctions.Challenges;
using OtpFunctions.Tests.Support;
using OtpFunctions.Verifying;

namespace OtpFunctions.Tests.Verifying;

/// <summary>What a right code writes, as a plain object: the challenge consumed, the session it buys, and the destination's wrong codes forgotten.</summary>
public sealed class CodeApprovalTests : IDisposable
{
    private static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(1);

    private readonly PlainRules plain = new();

    [Fact]
    public void ConsumesTheChallengeAtTheMomentOfTheVerify()
    {
        var now = PlainRules.Start + TimeSpan.FromMinutes(2);

        var writes = CodeApproval.Approve(plain.Challenge(), PlainRules.Limit(), now, SessionLifetime);

        Assert.Equal((ChallengeState.Approved, now), (writes.Approved.State, writes.Approved.VerifiedAt));
    }

    [Fact]
    public void BuysASessionForTheChallengesDestinationThatEndsAfterTheLifetime()
    {
        var challenge = plain.Challenge();
        var now = PlainRules.Start + TimeSpan.FromMinutes(2);

        var session = CodeApproval.Approve(challenge, PlainRules.Limit(), now, SessionLifetime).Session;

        Assert.Equal((challenge.Id.PartitionKey, challenge.Id.Value, challenge.MaskedTo, challenge.Channel, challenge.Purpose), (session.PartitionKey, session.ChallengeId, session.Subject, session.Channel, session.Purpose));
        Assert.Equal((now, now + SessionLifetime), (session.IssuedAt, session.ExpiresAt));
    }

    [Fact]
    public void KeysEachSessionInItsPartitionWithAnUnguessableTokenId()
    {
        var challenge = plain.Challenge();

        var first = CodeApproval.Approve(challenge, PlainRules.Limit(), PlainRules.Start, SessionLifetime).Session.TokenId;
        var second = CodeApproval.Approve(challenge, PlainRules.Limit(), PlainRules.Start, SessionLifetime).Session.TokenId;

        Assert.StartsWith(challenge.Id.PartitionKey, first, StringComparison.Ordinal);
        Assert.True(first.Length >= challenge.Id.PartitionKey.Length + 22, first);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void ForgetsTheDestinationsWrongCodesGivenSome()
    {
        var limit = PlainRules.Limit(sends: 2, failures: 3);

        var cleared = CodeApproval.Approve(plain.Challenge(), limit, PlainRules.Start, SessionLifetime).Cleared;

        Assert.Equal(RateWindow.Empty, cleared?.Failures);
        Assert.Equal(limit.Window, cleared?.Window);
    }

    [Fact]
    public void LeavesTheLimitRowAloneGivenNoWrongCodes()
    {
        Assert.Null(CodeApproval.Approve(plain.Challenge(), PlainRules.Limit(sends: 2), PlainRules.Start, SessionLifetime).Cleared);
    }

    public void Dispose() => plain.Dispose();
}
