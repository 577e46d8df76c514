using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Sending;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Sending;

/// <summary>A destination's own limits as a plain object: when its send window or its wrong-code block refuses, and how a send is counted.</summary>
public sealed class DestinationRuleTests : IDisposable
{
    private static readonly DateTimeOffset Start = PlainRules.Start;

    private readonly PlainRules plain = new(new OtpOptions { MaxSendsPerDestination = 3, SendWindow = TimeSpan.FromMinutes(10), MaxFailuresPerDestination = 4, FailureWindow = TimeSpan.FromHours(24) });
    private readonly DestinationRule rule;

    public DestinationRuleTests() => rule = new DestinationRule(plain.RateLimits, plain.Options, plain.Clock);

    [Fact]
    public void AdmitsTheLastSendOfTheWindow()
    {
        Assert.Null(rule.Refusal(PlainRules.Limit(sends: 2), DestinationRule.FullForNewCode));
    }

    [Fact]
    public void RefusesWith429UntilTheWindowEndsGivenAFullWindow()
    {
        plain.Clock.Advance(TimeSpan.FromMinutes(4));

        var refusal = rule.Refusal(PlainRules.Limit(sends: 3), DestinationRule.FullForResend);

        Assert.NotNull(refusal);
        Assert.Equal((429, "rate_limited", DestinationRule.FullForResend), (refusal.Status, refusal.Code, refusal.Message));
        Assert.Equal(TimeSpan.FromMinutes(6), refusal.RetryAfter);
        Assert.Equal(["destination"], plain.Counted("otp.ratelimit.rejections", "scope"));
    }

    [Fact]
    public void AdmitsAgainOnceTheWindowHasEnded()
    {
        var full = PlainRules.Limit(sends: 3);

        plain.Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        Assert.NotNull(rule.Refusal(full, DestinationRule.FullForNewCode));
        plain.Clock.Advance(TimeSpan.FromTicks(1));
        Assert.Null(rule.Refusal(full, DestinationRule.FullForNewCode));
    }

    [Fact]
    public void RefusesUntilTheFailureWindowEndsGivenTooManyWrongCodes()
    {
        plain.Clock.Advance(TimeSpan.FromHours(1));

        var refusal = rule.Refusal(PlainRules.Limit(failures: 4), DestinationRule.FullForNewCode);

        Assert.NotNull(refusal);
        Assert.Equal((429, "rate_limited"), (refusal.Status, refusal.Code));
        Assert.Contains("wrong codes", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromHours(23), refusal.RetryAfter);
        Assert.Equal(["failures"], plain.Counted("otp.ratelimit.rejections", "scope"));
    }

    [Fact]
    public void AdmitsGivenOneWrongCodeFewerThanTheBlockOrAnEndedFailureWindow()
    {
        Assert.Null(rule.Refusal(PlainRules.Limit(failures: 3), DestinationRule.FullForNewCode));

        plain.Clock.Advance(TimeSpan.FromHours(24));
        Assert.Null(rule.Refusal(PlainRules.Limit(failures: 4), DestinationRule.FullForNewCode));
    }

    [Fact]
    public void NamesTheSendWindowGivenBothLimitsReached()
    {
        var refusal = rule.Refusal(PlainRules.Limit(sends: 3, failures: 4), DestinationRule.FullForNewCode);

        Assert.Equal(DestinationRule.FullForNewCode, refusal?.Message);
        Assert.Equal(["destination"], plain.Counted("otp.ratelimit.rejections", "scope"));
    }

    [Fact]
    public void CountsTheSendInTheOpenWindowAndRecordsTheNewPendingCode()
    {
        var next = new PendingChallenge("new", Start + TimeSpan.FromMinutes(10));

        var counted = rule.Count(PlainRules.Limit(sends: 1), "login", next, Start + TimeSpan.FromMinutes(2), retireOld: true);

        Assert.Equal(new RateWindow(Start, 2), counted.Limit.Window);
        Assert.Equal(next, counted.Limit.Pending["login"]);
        Assert.Null(counted.Superseded);
    }

    [Fact]
    public void OpensANewWindowGivenTheOldOneEnded()
    {
        var now = Start + TimeSpan.FromMinutes(10);

        var counted = rule.Count(PlainRules.Limit(sends: 3), "login", new PendingChallenge("new", now + TimeSpan.FromMinutes(10)), now, retireOld: true);

        Assert.Equal(new RateWindow(now, 1), counted.Limit.Window);
    }

    [Fact]
    public void SupersedesTheLivePendingCodeOfTheSamePurposeOnly()
    {
        var now = Start + TimeSpan.FromMinutes(1);
        var pending = new Dictionary<string, PendingChallenge>
        {
            ["login"] = new("old-login", Start + TimeSpan.FromMinutes(10)),
            ["reset"] = new("old-reset", Start + TimeSpan.FromMinutes(10)),
        };

        var counted = rule.Count(PlainRules.Limit(sends: 1, pending: pending), "login", new PendingChallenge("new", now + TimeSpan.FromMinutes(10)), now, retireOld: true);

        Assert.Equal("old-login", counted.Superseded);
        Assert.Equal(["new", "old-reset"], counted.Limit.Pending.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Value.ChallengeId));
    }

    [Fact]
    public void RetiresNothingGivenRetireOldFalseOrAnExpiredPendingCode()
    {
        var now = Start + TimeSpan.FromMinutes(10);
        var pending = new Dictionary<string, PendingChallenge> { ["login"] = new("old", now), ["reset"] = new("gone", now - TimeSpan.FromTicks(1)) };
        var next = new PendingChallenge("new", now + TimeSpan.FromMinutes(10));

        Assert.Null(rule.Count(PlainRules.Limit(pending: pending), "login", next, now - TimeSpan.FromTicks(1), retireOld: false).Superseded);
        var counted = rule.Count(PlainRules.Limit(pending: pending), "login", next, now, retireOld: true);

        Assert.Null(counted.Superseded);
        Assert.Equal(["login"], counted.Limit.Pending.Keys);
    }

    [Fact]
    public void CountsARelayedSendWithoutTouchingThePendingCodes()
    {
        var pending = new Dictionary<string, PendingChallenge> { ["login"] = new("ours", Start + TimeSpan.FromMinutes(5)) };

        var counted = rule.CountRelayed(PlainRules.Limit(sends: 2, pending: pending), Start + TimeSpan.FromMinutes(1));

        Assert.Equal(3, counted.Limit.Window.Count);
        Assert.Null(counted.Superseded);
        Assert.Equal(["ours"], counted.Limit.Pending.Values.Select(code => code.ChallengeId));
        Assert.Equal(counted.Limit.LiveUntil(plain.Limits), counted.PurgeAt);
    }

    [Fact]
    public void KeepsTheRowUntilItsLastWindowOrPendingCodeEnds()
    {
        var pending = new Dictionary<string, PendingChallenge> { ["reset"] = new("later", Start + TimeSpan.FromMinutes(25)) };
        var now = Start + TimeSpan.FromMinutes(1);

        var windowOnly = rule.Count(PlainRules.Limit(), "login", new PendingChallenge("new", now + TimeSpan.FromMinutes(5)), now, retireOld: true);
        var laterCode = rule.Count(PlainRules.Limit(pending: pending), "login", new PendingChallenge("new", now + TimeSpan.FromMinutes(5)), now, retireOld: true);
        var failures = rule.Count(PlainRules.Limit(failures: 1), "login", new PendingChallenge("new", now + TimeSpan.FromMinutes(5)), now, retireOld: true);

        Assert.Equal(now + TimeSpan.FromMinutes(10), windowOnly.PurgeAt);
        Assert.Equal(Start + TimeSpan.FromMinutes(25), laterCode.PurgeAt);
        Assert.Equal(Start + TimeSpan.FromHours(24), failures.PurgeAt);
    }

    public void Dispose() => plain.Dispose();
}
