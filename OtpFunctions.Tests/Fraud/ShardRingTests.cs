using Azure.Data.Tables;
using OtpFunctions.Fraud;

namespace OtpFunctions.Tests.Fraud;

/// <summary>A counter row keeps the last <see cref="FraudRule.Slots"/> buckets in as many slots and drops what the ring has passed.</summary>
public sealed class ShardRingTests
{
    [Fact]
    public void AddsToTheBucketKeepingTheOthers()
    {
        var (row, newest) = ShardRing.Add(null, "p", "s0", 100, sends: 1, verified: 0)!.Value;
        (row, newest) = ShardRing.Add(row, "p", "s0", 101, sends: 2, verified: 0)!.Value;
        (row, newest) = ShardRing.Add(row, "p", "s0", 100, sends: 0, verified: 1)!.Value;

        Assert.Equal(101, newest);
        Assert.Equal([new BucketCount(100, 1, 1), new BucketCount(101, 2, 0)], ShardRing.Read(row).OrderBy(count => count.Bucket));
    }

    [Fact]
    public void DropsBucketsTheRingHasPassed()
    {
        var (row, _) = ShardRing.Add(null, "p", "s0", 100, sends: 5, verified: 0)!.Value;
        (row, _) = ShardRing.Add(row, "p", "s0", 110, sends: 1, verified: 0)!.Value;

        var (turned, _) = ShardRing.Add(row, "p", "s0", 100 + FraudRule.Slots, sends: 1, verified: 0)!.Value;

        Assert.Equal([110, 100 + FraudRule.Slots], ShardRing.Read(turned).Select(count => count.Bucket).Order());
    }

    [Fact]
    public void RefusesABucketOlderThanTheRingKeeps()
    {
        var (row, _) = ShardRing.Add(null, "p", "s0", 200, sends: 1, verified: 0)!.Value;

        Assert.Null(ShardRing.Add(row, "p", "s0", 200 - FraudRule.Slots, sends: 0, verified: 1));
        Assert.NotNull(ShardRing.Add(row, "p", "s0", 200 - FraudRule.Slots + 1, sends: 0, verified: 1));
    }

    [Fact]
    public void KeepsTheETagItWasReadWith()
    {
        var read = new TableEntity("p", "s3") { ETag = new Azure.ETag("W/\"1\"") };

        Assert.Equal(read.ETag, ShardRing.Add(read, "p", "s3", 7, 1, 0)!.Value.Row.ETag);
    }
}
