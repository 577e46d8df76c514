using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Challenges;

/// <summary>How long a destination's limit row matters: the sweeper may delete it once nothing in it is live.</summary>
public sealed class DestinationLimitTests
{
    private static readonly OtpOptions Limits = new() { SendWindow = TimeSpan.FromHours(1), FailureWindow = TimeSpan.FromHours(2) };

    [Fact]
    public void LivesUntilItsSendWindowEndsGivenOnlySends() =>
        Assert.Equal(PlainRules.Start.AddHours(1), PlainRules.Limit(sends: 2).LiveUntil(Limits));

    [Fact]
    public void LivesUntilItsWrongCodesAreForgottenGivenFailures() =>
        Assert.Equal(PlainRules.Start.AddHours(2), PlainRules.Limit(sends: 1, failures: 1).LiveUntil(Limits));

    [Fact]
    public void LivesUntilItsLastPendingCodeExpiresGivenOneThatOutlivesTheWindows()
    {
        var pending = new Dictionary<string, PendingChallenge>
        {
            ["login"] = new("a", PlainRules.Start.AddMinutes(5)),
            ["signup"] = new("b", PlainRules.Start.AddHours(3)),
        };

        Assert.Equal(PlainRules.Start.AddHours(3), PlainRules.Limit(sends: 1, failures: 1, pending: pending).LiveUntil(Limits));
    }
}
