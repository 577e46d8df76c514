using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Tests.Support;
using OtpFunctions.Verifying;

namespace OtpFunctions.Tests.Verifying;

/// <summary>How wrong codes are counted, as plain objects: on the challenge, which locks at its last attempt, and on its destination, which blocks at its limit.</summary>
public sealed class WrongCodesTests : IDisposable
{
    private readonly PlainRules plain = new(new OtpOptions { MaxVerifyAttempts = 3, MaxFailuresPerDestination = 5, FailureWindow = TimeSpan.FromHours(24) });

    [Fact]
    public void CountsAnAttemptAndKeepsTheChallengePendingBeforeItsLast()
    {
        var challenge = plain.Challenge() with { FailedAttempts = 1 };

        var writes = WrongCodes.Count(challenge, PlainRules.Limit(), new RateWindow(PlainRules.Start, 0), plain.Limits.MaxVerifyAttempts);

        Assert.Equal((2, ChallengeState.Pending, false), (writes.Counted.FailedAttempts, writes.Counted.State, writes.LockedNow));
    }

    [Fact]
    public void LocksTheChallengeAtItsLastAttempt()
    {
        var challenge = plain.Challenge() with { FailedAttempts = 2 };

        var writes = WrongCodes.Count(challenge, PlainRules.Limit(), new RateWindow(PlainRules.Start, 0), plain.Limits.MaxVerifyAttempts);

        Assert.Equal((3, ChallengeState.Locked, true), (writes.Counted.FailedAttempts, writes.Counted.State, writes.LockedNow));
    }

    [Fact]
    public void CountsTheWrongCodeInTheDestinationsCurrentWindow()
    {
        var stored = PlainRules.Limit(failures: 4, failuresStart: PlainRules.Start - TimeSpan.FromHours(25));

        // CodeCheck hands on the current window: an ended one has started afresh, and the wrong code is its first.
        var writes = WrongCodes.Count(plain.Challenge(), stored, new RateWindow(PlainRules.Start, 0), plain.Limits.MaxVerifyAttempts);

        Assert.Equal(new RateWindow(PlainRules.Start, 1), writes.Limit.Failures);
        Assert.Equal(stored.Window, writes.Limit.Window);
    }

    [Fact]
    public void LeavesOnlyTheLockedAnswerAfterTheLastAttemptEvenForTheRightCode()
    {
        var check = new CodeCheck(plain.Hasher, plain.Refusals, plain.Options, plain.Clock);
        var challenge = plain.Challenge("123456");
        var limit = PlainRules.Limit();

        for (var attempt = 1; attempt <= plain.Limits.MaxVerifyAttempts; attempt++)
        {
            var verdict = check.Check(challenge.Id, "000000", challenge, limit).Value!;
            Assert.False(verdict.Matches);
            (challenge, limit, _) = WrongCodes.Count(challenge, limit, verdict.Failures, plain.Limits.MaxVerifyAttempts);
        }

        var refusal = check.Check(challenge.Id, "123456", challenge, limit).Error;
        Assert.Equal((423, "locked"), (refusal?.Status, refusal?.Code));
    }

    [Fact]
    public void BlocksTheDestinationAcrossChallengesAtItsLimit()
    {
        var check = new CodeCheck(plain.Hasher, plain.Refusals, plain.Options, plain.Clock);
        var limit = PlainRules.Limit();
        for (var wrong = 1; wrong <= plain.Limits.MaxFailuresPerDestination; wrong++)
        {
            // A fresh challenge each time: its own attempts never run out, only the destination's do.
            var challenge = plain.Challenge("123456");
            var verdict = check.Check(challenge.Id, "000000", challenge, limit).Value!;
            limit = WrongCodes.Count(challenge, limit, verdict.Failures, plain.Limits.MaxVerifyAttempts).Limit;
        }

        var next = plain.Challenge("123456");
        Assert.Equal(423, check.Check(next.Id, "123456", next, limit).Error?.Status);
        plain.Clock.Advance(TimeSpan.FromHours(24));
        Assert.True(check.Check(next.Id, "123456", next with { ExpiresAt = plain.Now + TimeSpan.FromMinutes(1) }, limit).Value?.Matches);
    }

    public void Dispose() => plain.Dispose();
}
