using OtpFunctions.Challenges;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Challenges;

/// <summary>The numbers api.md shows after a send and in a status, computed as a plain object.</summary>
public sealed class ChallengeViewsTests : IDisposable
{
    private readonly PlainRules plain = new();

    [Fact]
    public void RoundsTheResendTimeUpToTheSecondGivenASendWithinASecond()
    {
        plain.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var challenge = plain.Challenge();

        var view = plain.Views.View(challenge, new RateWindow(plain.Now, 1));

        // A client that waits until resendAfter must not be refused: 10:00:30.001 shows as 10:00:31.
        Assert.Equal(PlainRules.Start + plain.Limits.ResendCooldown + TimeSpan.FromSeconds(1), view.ResendAfter);
        Assert.Equal(plain.Limits.MaxSendsPerDestination - 1, view.SendsLeft);
        Assert.Equal(plain.Limits.MaxVerifyAttempts, view.AttemptsLeft);
    }

    [Fact]
    public void ShowsNoneLeftRatherThanANegativeCountGivenLimitsLoweredSince()
    {
        var challenge = plain.Challenge() with { FailedAttempts = plain.Limits.MaxVerifyAttempts + 3 };

        Assert.Equal(0, plain.Views.AttemptsLeft(challenge));
        Assert.Equal(0, plain.Views.SendsLeft(new RateWindow(plain.Now, plain.Limits.MaxSendsPerDestination + 2)));
    }

    public void Dispose() => plain.Dispose();
}
