using Microsoft.Extensions.Options;
using OtpFunctions.Fraud;

namespace OtpFunctions.Tests.Fraud;

/// <summary>The fraud guard's arithmetic as a plain object: what is judged, when a prefix looks pumped, and what a block or a lift leaves behind.</summary>
public sealed class FraudRuleTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void UsesBucketsOfAThirtiethOfWindowAndGraceGivenDefaults()
    {
        var rule = Rule();

        Assert.Equal(TimeSpan.FromSeconds(130), rule.BucketLength);
        Assert.Equal(rule.StartOf(rule.BucketOf(Start)), Start - TimeSpan.FromTicks(Start.UtcTicks % rule.BucketLength.Ticks));
    }

    [Fact]
    public void BlocksGivenEnoughJudgedSendsBelowTheVerifiedShare()
    {
        var rule = Rule();
        var now = Start + TimeSpan.FromMinutes(8);

        var verdict = rule.Judge(State(rule, (Start, 20, 3)), now);

        Assert.Equal(TimeSpan.FromHours(1), verdict.RefuseFor);
        Assert.Equal(new PrefixBlock(now, now + TimeSpan.FromHours(1), 20, 3, Enforced: true, now), verdict.NewBlock);
    }

    [Theory]
    [InlineData(20, 4)]
    [InlineData(19, 0)]
    [InlineData(200, 40)]
    public void PassesGivenTooFewSendsOrEnoughVerified(int sends, int verified)
    {
        var rule = Rule();

        Assert.Equal(FraudVerdict.Pass, rule.Judge(State(rule, (Start, sends, verified)), Start + TimeSpan.FromMinutes(8)));
    }

    [Fact]
    public void JudgesASendOnlyOnceGraceHasPassedSinceItsBucketEnded()
    {
        var rule = Rule();
        var state = State(rule, (Start, 50, 0));
        var judgedFrom = rule.StartOf(rule.BucketOf(Start) + 1) + TimeSpan.FromMinutes(5);

        Assert.Equal(FraudVerdict.Pass, rule.Judge(state, judgedFrom - TimeSpan.FromSeconds(1)));
        Assert.NotNull(rule.Judge(state, judgedFrom).NewBlock);
    }

    [Fact]
    public void ForgetsSendsOlderThanTheWindow()
    {
        var rule = Rule();
        var state = State(rule, (Start, 50, 0));

        Assert.NotNull(rule.Judge(state, rule.StartOf(rule.BucketOf(Start)) + TimeSpan.FromMinutes(59)).NewBlock);
        Assert.Equal(FraudVerdict.Pass, rule.Judge(state, rule.StartOf(rule.BucketOf(Start)) + TimeSpan.FromMinutes(61)));
    }

    [Fact]
    public void AddsUpBucketsAcrossTheWindowAndNeverCountsMoreVerifiedThanSent()
    {
        var rule = Rule();
        var state = State(rule, (Start, 10, 0), (Start + TimeSpan.FromMinutes(10), 10, 0), (Start + TimeSpan.FromMinutes(20), 2, 9));

        Assert.Equal((22, 2), rule.Judged(state, Start + TimeSpan.FromMinutes(30)));
        Assert.NotNull(rule.Judge(state, Start + TimeSpan.FromMinutes(30)).NewBlock);
    }

    [Fact]
    public void RefusesUntilTheBlockEndsThenJudgesOnlyLaterSends()
    {
        var rule = Rule();
        var blockedAt = Start + TimeSpan.FromMinutes(8);
        var block = new PrefixBlock(blockedAt, blockedAt + TimeSpan.FromMinutes(30), 50, 0, Enforced: true, blockedAt);
        var state = State(rule, (Start, 50, 0)) with { Block = block };

        Assert.Equal(TimeSpan.FromMinutes(20), rule.Judge(state, blockedAt + TimeSpan.FromMinutes(10)).RefuseFor);

        // The block used up its evidence: the same sends do not block the prefix again once it ends.
        Assert.Equal(FraudVerdict.Pass, rule.Judge(state, blockedAt + TimeSpan.FromMinutes(31)));
    }

    [Fact]
    public void JudgesAfreshAfterALift()
    {
        var rule = Rule();
        var liftedAt = Start + TimeSpan.FromMinutes(9);
        var lifted = new PrefixBlock(Start + TimeSpan.FromMinutes(8), liftedAt, 50, 0, Enforced: true, liftedAt);
        var state = State(rule, (Start, 50, 0), (liftedAt + TimeSpan.FromMinutes(3), 19, 0)) with { Block = lifted };

        Assert.Equal(FraudVerdict.Pass, rule.Judge(state, liftedAt + TimeSpan.FromMinutes(20)));
        Assert.Equal((19, 0), rule.Judged(state, liftedAt + TimeSpan.FromMinutes(20)));
    }

    [Fact]
    public void ReportsWithoutRefusingGivenMonitorModeAndOnlyOncePerBlock()
    {
        var rule = Rule(FraudGuardMode.Monitor);
        var now = Start + TimeSpan.FromMinutes(8);

        var verdict = rule.Judge(State(rule, (Start, 40, 0)), now);
        Assert.Null(verdict.RefuseFor);
        Assert.False(verdict.NewBlock!.Enforced);
        Assert.Equal(FraudVerdict.Pass, rule.Judge(State(rule, (Start, 80, 0)) with { Block = verdict.NewBlock }, now + TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void BlocksGivenAMonitorReportInForceAndBlockModeTurnedOn()
    {
        var rule = Rule();
        var report = new PrefixBlock(Start, Start + TimeSpan.FromHours(1), 40, 0, Enforced: false, Start);
        var state = State(rule, (Start + TimeSpan.FromMinutes(1), 40, 0)) with { Block = report };

        Assert.True(rule.Judge(state, Start + TimeSpan.FromMinutes(10)).NewBlock!.Enforced);
    }

    [Fact]
    public void NeverBlocksGivenMinConversionZero()
    {
        var rule = Rule(minConversion: 0);

        Assert.Equal(FraudVerdict.Pass, rule.Judge(State(rule, (Start, 500, 0)), Start + TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void StopsRefusingAtOnceGivenAnEnforcedBlockAndMonitorModeTurnedOn()
    {
        var block = new PrefixBlock(Start, Start + TimeSpan.FromHours(1), 40, 0, Enforced: true, Start);
        var state = State(Rule(), (Start + TimeSpan.FromMinutes(1), 40, 0)) with { Block = block };

        Assert.Equal(FraudVerdict.Pass, Rule(FraudGuardMode.Monitor).Judge(state, Start + TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void RefusesUntilTheLastTickOfTheBlock()
    {
        var rule = Rule();
        var block = new PrefixBlock(Start, Start + TimeSpan.FromMinutes(30), 40, 0, Enforced: true, Start);
        var state = PrefixState.Empty with { Block = block };

        Assert.Equal(TimeSpan.FromTicks(1), rule.Judge(state, block.Until - TimeSpan.FromTicks(1)).RefuseFor);
        Assert.Equal(FraudVerdict.Pass, rule.Judge(state, block.Until));
    }

    [Fact]
    public void KeepsBucketsAtLeastASecondLongGivenATinyWindow()
    {
        var rule = new FraudRule(Options.Create(new FraudGuardOptions { Window = TimeSpan.FromSeconds(2), Grace = TimeSpan.Zero }));

        Assert.Equal(TimeSpan.FromSeconds(1), rule.BucketLength);
    }

    [Fact]
    public void KeepsARingOfSlotsBucketsEndingWithTheNewest()
    {
        Assert.Equal(100 - FraudRule.Slots + 1, FraudRule.OldestKept(100));

        // The ring must hold every bucket a judgement reads: Window and Grace, plus the bucket in progress.
        var rule = Rule();
        var now = Start + TimeSpan.FromHours(2);
        Assert.True(rule.StartOf(FraudRule.OldestKept(rule.BucketOf(now))) <= now - rule.Settings.Window - rule.Settings.Grace);
    }

    [Theory]
    [InlineData(FraudGuardMode.Block, "+2348031234567", "+234803")]
    [InlineData(FraudGuardMode.Monitor, "+2348031234567", "+234803")]
    [InlineData(FraudGuardMode.Off, "+2348031234567", null)]
    [InlineData(FraudGuardMode.Block, "+447911123456", null)]
    [InlineData(FraudGuardMode.Block, "+447811123456", "+44781")]
    public void WatchesThePrefixOfANumberUnlessTheGuardIsOffOrItIsExempt(FraudGuardMode mode, string e164, string? expected)
    {
        var rule = new FraudRule(Options.Create(new FraudGuardOptions { Mode = mode, ExemptPrefixes = ["+4479"] }));

        Assert.Equal(expected, rule.Watched(e164));
    }

    private static FraudRule Rule(FraudGuardMode mode = FraudGuardMode.Block, double minConversion = 0.2) =>
        new(Options.Create(new FraudGuardOptions { Mode = mode, MinConversion = minConversion }));

    private static PrefixState State(FraudRule rule, params (DateTimeOffset At, int Sends, int Verified)[] buckets) =>
        new(buckets.Select(bucket => new BucketCount(rule.BucketOf(bucket.At), bucket.Sends, bucket.Verified)).ToList(), null);
}
