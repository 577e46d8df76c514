using OtpFunctions.Sending;

namespace OtpFunctions.Tests.Sending;

/// <summary>The arithmetic that makes a budget a hard ceiling: the shards' caps add up to the limit, never more.</summary>
public sealed class BudgetSharesTests
{
    [Fact]
    public void AddsTheShardCapsUpToTheLimitExactlyForEveryLimit()
    {
        for (var limit = 0; limit <= 2_000; limit++)
        {
            var caps = Enumerable.Range(0, BudgetShares.MaxShards + 2).Select(shard => BudgetShares.Capacity(limit, shard)).ToArray();

            Assert.Equal(limit, caps.Sum());
            Assert.All(caps, cap => Assert.InRange(cap, 0, (limit + BudgetShares.MaxShards - 1) / BudgetShares.MaxShards));
        }
    }

    [Fact]
    public void UsesNoMoreShardsThanUnitsGivenASmallLimit()
    {
        Assert.Equal(3, BudgetShares.ShardCount(3));
        Assert.Equal([1, 1, 1, 0], Enumerable.Range(0, 4).Select(shard => BudgetShares.Capacity(3, shard)));
        Assert.Equal(BudgetShares.MaxShards, BudgetShares.ShardCount(500));
    }

    [Fact]
    public void GivesNoRoomGivenALimitOfZeroOrAShardOutsideTheBudget()
    {
        Assert.Equal(0, BudgetShares.ShardCount(0));
        Assert.Equal(0, BudgetShares.Capacity(0, 0));
        Assert.Equal(0, BudgetShares.Capacity(500, -1));
        Assert.Equal(0, BudgetShares.Capacity(500, BudgetShares.MaxShards));
    }

    [Theory]
    [InlineData(500, 0.8, 400, 100)]
    [InlineData(10, 0.8, 8, 2)]
    [InlineData(4, 0.8, 3, 1)] // the anonymous share is a ceiling: rounded down
    [InlineData(100, 0.29, 29, 71)] // 100 * 0.29 is 28.999… in binary: still 29
    [InlineData(7, 1.0, 7, 0)]
    [InlineData(7, 0.0, 0, 7)]
    [InlineData(7, 1.5, 7, 0)] // a share outside 0..1 is clamped, never more than the limit or less than nothing
    [InlineData(7, -0.5, 0, 7)]
    [InlineData(0, 0.8, 0, 0)]
    public void SplitsAGlobalBudgetBetweenAnonymousCallersAndTheRest(int limit, double share, int anonymous, int keyed)
    {
        Assert.Equal((anonymous, keyed), BudgetShares.Split(limit, share));
    }
}
