using OtpFunctions.Challenges;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Challenges;

/// <summary>What a challenge can still take, judged as a plain object: its state, its lifetime, its resend cooldown.</summary>
public sealed class ChallengeRefusalsTests : IDisposable
{
    private readonly PlainRules plain = new();

    [Fact]
    public void AnswersNotFoundGivenNoChallengeOrARelayedOne()
    {
        Assert.Equal("not_found", plain.Refusals.Refusal(null, plain.Now, forVerify: true)!.Code);
        Assert.Equal("not_found", plain.Refusals.Refusal(plain.Challenge() with { Relayed = true }, plain.Now, forVerify: false)!.Code);
    }

    [Theory]
    [InlineData(ChallengeState.Approved, "already_verified")]
    [InlineData(ChallengeState.Canceled, "expired")]
    [InlineData(ChallengeState.Locked, "locked")]
    public void RefusesGivenAChallengeThatIsOver(ChallengeState state, string code) =>
        Assert.Equal(code, plain.Refusals.Refusal(plain.Challenge() with { State = state }, plain.Now, forVerify: false)!.Code);

    [Fact]
    public void AnswersExpiredAndCountsItOnlyForAVerifyGivenAnExpiredCode()
    {
        var challenge = plain.Challenge();
        plain.Clock.Advance(plain.Limits.CodeLifetime);

        Assert.Equal("expired", plain.Refusals.Refusal(challenge, plain.Now, forVerify: false)!.Code);
        Assert.Empty(plain.Counted("otp.codes.expired", "channel"));
        Assert.Equal("expired", plain.Refusals.Refusal(challenge, plain.Now, forVerify: true)!.Code);
        Assert.Equal(["sms"], plain.Counted("otp.codes.expired", "channel"));
    }

    [Fact]
    public void TakesAPendingChallengeUntilItsLastMoment()
    {
        var challenge = plain.Challenge();
        plain.Clock.Advance(plain.Limits.CodeLifetime - TimeSpan.FromTicks(1));

        Assert.Null(plain.Refusals.Refusal(challenge, plain.Now, forVerify: true));
    }

    [Fact]
    public void RefusesAResendUntilTheCooldownHasPassed()
    {
        var challenge = plain.Challenge();
        plain.Clock.Advance(plain.Limits.ResendCooldown - TimeSpan.FromSeconds(10));

        var refusal = plain.Refusals.Cooldown(challenge, plain.Now)!;
        Assert.Equal((429, "rate_limited", TimeSpan.FromSeconds(10)), (refusal.Status, refusal.Code, refusal.RetryAfter));
        Assert.Equal(["cooldown"], plain.Counted("otp.ratelimit.rejections", "scope"));

        plain.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Null(plain.Refusals.Cooldown(challenge, plain.Now));
    }

    public void Dispose() => plain.Dispose();
}
