using OtpFunctions.Delivery;
using OtpFunctions.Sweeping;

namespace OtpFunctions.Tests.Delivery;

/// <summary>The provider-message index's hours, as plain arithmetic: where a row goes, when it is swept, where a report looks.</summary>
public sealed class ProviderMessageBucketsTests
{
    // The default code lifetime (10 min) plus the hour a row is kept after it.
    private static readonly ProviderMessageBuckets Default = new(TimeSpan.FromMinutes(70));

    private static DateTimeOffset At(int hour, int minute, int second = 0) => new(2026, 12, 6, hour, minute, second, TimeSpan.Zero);

    [Fact]
    public void NamesThePartitionAfterTheUtcHourOfTheSend()
    {
        Assert.Equal("msg~2026120610", ProviderMessageBuckets.PartitionOf(At(10, 0)));
        Assert.Equal("msg~2026120610", ProviderMessageBuckets.PartitionOf(At(10, 59, 59)));
        Assert.Equal("msg~2026120611", ProviderMessageBuckets.PartitionOf(At(11, 0)));
        Assert.Equal("msg~2026120610", ProviderMessageBuckets.PartitionOf(new DateTimeOffset(2026, 12, 6, 12, 30, 0, TimeSpan.FromHours(2))));
    }

    /// <summary>
    /// '~' is in no other partition key (destinations, budgets, idempotency and the old index are Base64Url or digits
    /// after a prefix), and the expiry index's own partitions start with it: the hours sort outside the sweeper's range.
    /// </summary>
    [Fact]
    public void StaysOutOfTheExpiryIndexRange()
    {
        var partition = ProviderMessageBuckets.PartitionOf(At(10, 0));
        Assert.True(string.CompareOrdinal(partition, ExpiryIndex.PartitionPrefix) < 0, partition);
        Assert.DoesNotContain('~', ProviderMessageRow.Legacy("Outgoing_1").PartitionKey);
    }

    [Fact]
    public void SweepsAnHourOnceItsLastRowCanHaveExpired()
    {
        Assert.Equal(At(12, 10), Default.SweepAt(At(10, 0)));
        Assert.Equal(At(12, 10), Default.SweepAt(At(10, 59, 59)));

        // The latest row of the hour: sent at its last second, its code lives 10 min, its row 1 h more.
        Assert.True(At(10, 59, 59) + TimeSpan.FromMinutes(70) <= Default.SweepAt(At(10, 59, 59)));
    }

    [Fact]
    public void LooksInTheCurrentHourFirstGivenReportMidHour() =>
        Assert.Equal(["msg~2026120610", "msg~2026120609"], Default.Candidates(At(10, 30)));

    [Fact]
    public void LooksInThePreviousHourNextGivenReportJustAfterTheHourTurned() =>
        Assert.Equal(["msg~2026120611", "msg~2026120610", "msg~2026120609"], Default.Candidates(At(11, 0, 5)));

    /// <summary>A writer whose clock is a little ahead may have filed the row under the next hour.</summary>
    [Fact]
    public void LooksInTheNextHourSecondGivenReportInTheHoursLastMinute() =>
        Assert.Equal(["msg~2026120610", "msg~2026120611", "msg~2026120609"], Default.Candidates(At(10, 59, 30)));

    [Fact]
    public void LooksBackOverTheRowsWholeLifetimeGivenLongCodeLifetime()
    {
        var candidates = new ProviderMessageBuckets(TimeSpan.FromHours(25)).Candidates(At(10, 30));

        Assert.Equal(26, candidates.Count);
        Assert.Equal("msg~2026120509", candidates[^1]);
        Assert.Equal(candidates.Count, candidates.Distinct().Count());
    }

    /// <summary>Every send a report can follow while its row lives, from a writer's clock up to a minute ahead, is looked for.</summary>
    [Fact]
    public void FindsEverySendWithinTheRowsLifetime()
    {
        var random = new Random(17);
        for (var i = 0; i < 10_000; i++)
        {
            var sentAt = At(0, 0) + TimeSpan.FromSeconds(random.Next(0, 3 * 24 * 3600));
            var reportAt = sentAt + TimeSpan.FromSeconds(random.Next(0, 70 * 60)) - TimeSpan.FromSeconds(random.Next(0, 60));

            Assert.Contains(ProviderMessageBuckets.PartitionOf(sentAt), Default.Candidates(reportAt));
        }
    }
}
