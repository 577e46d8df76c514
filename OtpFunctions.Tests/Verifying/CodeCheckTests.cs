using System.Security.Cryptography;
using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Security;
using OtpFunctions.Tests.Support;
using OtpFunctions.Verifying;

namespace OtpFunctions.Tests.Verifying;

/// <summary>Whether a challenge takes a code now and whether the code matches, as a plain object: every refusal with the status api.md gives it.</summary>
public sealed class CodeCheckTests : IDisposable
{
    private readonly PlainRules plain = new(new OtpOptions { CodeLifetime = TimeSpan.FromMinutes(10), MaxFailuresPerDestination = 4, FailureWindow = TimeSpan.FromHours(24) });
    private readonly CodeCheck check;

    public CodeCheckTests() => check = new CodeCheck(plain.Hasher, plain.Refusals, plain.Options, plain.Clock);

    [Fact]
    public void MatchesTheRightCodeAtTheClocksTime()
    {
        var challenge = plain.Challenge("482910");
        plain.Clock.Advance(TimeSpan.FromMinutes(3));

        var verdict = check.Check(challenge.Id, "482910", challenge, PlainRules.Limit());

        Assert.Null(verdict.Error);
        Assert.True(verdict.Value!.Matches);
        Assert.Equal(plain.Now, verdict.Value.Now);
    }

    [Theory]
    [InlineData("482911")]
    [InlineData("48291")]
    [InlineData("4829100")]
    [InlineData("")]
    public void TakesButDoesNotMatchAWrongCode(string code)
    {
        var challenge = plain.Challenge("482910");

        var verdict = check.Check(challenge.Id, code, challenge, PlainRules.Limit());

        Assert.Null(verdict.Error);
        Assert.False(verdict.Value!.Matches);
    }

    [Fact]
    public void DoesNotMatchTheRightCodeOfAnotherChallenge()
    {
        var challenge = plain.Challenge("482910");
        var other = plain.Challenge("482910");

        Assert.False(check.Check(other.Id, "482910", challenge, PlainRules.Limit()).Value!.Matches);
    }

    [Fact]
    public void ComparesCodesInConstantTime()
    {
        // A comparison that stops at the first differing byte tells an attacker, by its timing, how much of a guess was right.
        Assert.Contains(IlCalls.Of(typeof(OtpHasher), nameof(OtpHasher.CodeMatches)), call => call.DeclaringType == typeof(CryptographicOperations) && call.Name == nameof(CryptographicOperations.FixedTimeEquals));
        Assert.Contains(IlCalls.Of(typeof(CodeCheck), nameof(CodeCheck.Check)), call => call.DeclaringType == typeof(OtpHasher) && call.Name == nameof(OtpHasher.CodeMatches));
    }

    [Fact]
    public void AnswersNotFoundGivenNoChallengeOrARelayedOne()
    {
        var relayed = plain.Challenge() with { Relayed = true };

        Assert.Equal((404, "not_found"), Refusal(null));
        Assert.Equal((404, "not_found"), Refusal(relayed, "123456"));
    }

    [Fact]
    public void AnswersAlreadyVerifiedGivenAnApprovedChallengeEvenWithTheRightCode()
    {
        Assert.Equal((409, "already_verified"), Refusal(plain.Challenge("123456") with { State = ChallengeState.Approved }, "123456"));
    }

    [Fact]
    public void AnswersLockedGivenALockedChallengeEvenWithTheRightCode()
    {
        Assert.Equal((423, "locked"), Refusal(plain.Challenge("123456") with { State = ChallengeState.Locked }, "123456"));
    }

    [Fact]
    public void AnswersExpiredFromTheMomentTheLifetimeEnds()
    {
        var challenge = plain.Challenge("123456");

        plain.Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        Assert.True(check.Check(challenge.Id, "123456", challenge, PlainRules.Limit()).Value?.Matches);
        plain.Clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal((410, "expired"), Refusal(challenge, "123456"));
        Assert.Equal(["sms"], plain.Counted("otp.codes.expired", "channel"));
    }

    [Fact]
    public void AnswersExpiredGivenASupersededOrCanceledChallenge()
    {
        Assert.Equal((410, "expired"), Refusal(plain.Challenge("123456") with { SupersededBy = "newer" }, "123456"));
        Assert.Equal((410, "expired"), Refusal(plain.Challenge("123456") with { State = ChallengeState.Canceled }, "123456"));
    }

    [Fact]
    public void AnswersExpiredWithoutSpendingAnAttemptGivenACodeHashedUnderARetiredPepper()
    {
        var retired = new OtpHasher(PlainRules.NewSecrets());
        var challenge = plain.Challenge();
        challenge = challenge with { CodeHash = retired.HashCode(challenge.Id.Value, "123456") };

        Assert.Equal((410, "expired"), Refusal(challenge, "123456"));
    }

    [Fact]
    public void AnswersLockedGivenTheDestinationHasCollectedTooManyWrongCodes()
    {
        var challenge = plain.Challenge("123456");

        var verdict = check.Check(challenge.Id, "123456", challenge, PlainRules.Limit(failures: 4));

        Assert.Equal((423, "locked"), (verdict.Error?.Status, verdict.Error?.Code));
        Assert.Contains("this destination", verdict.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HandsOnTheDestinationsWrongCodesWhileBelowTheBlock()
    {
        var challenge = plain.Challenge("123456");

        var verdict = check.Check(challenge.Id, "000000", challenge, PlainRules.Limit(failures: 3));

        Assert.Equal(new RateWindow(PlainRules.Start, 3), verdict.Value!.Failures);
    }

    [Fact]
    public void ForgetsWrongCodesOnceTheFailureWindowEnds()
    {
        var limit = PlainRules.Limit(failures: 4, failuresStart: PlainRules.Start - TimeSpan.FromHours(24));
        var challenge = plain.Challenge("123456");

        var verdict = check.Check(challenge.Id, "123456", challenge, limit);

        Assert.True(verdict.Value!.Matches);
        Assert.Equal(new RateWindow(PlainRules.Start, 0), verdict.Value.Failures);
    }

    private (int?, string?) Refusal(Challenge? challenge, string code = "123456")
    {
        var id = challenge?.Id ?? plain.Challenge().Id;
        var verdict = check.Check(id, code, challenge, PlainRules.Limit());
        Assert.Null(verdict.Value);
        return (verdict.Error?.Status, verdict.Error?.Code);
    }

    public void Dispose() => plain.Dispose();
}
