using System.Globalization;
using Azure.Data.Tables;
using OtpFunctions.Storage;

namespace OtpFunctions.Sweeping;

/// <summary>
/// Where the sweeper looks: one row per (five-minute bucket, partition to sweep), in partitions named
/// <c>~sweep-yyyyMMddHHmm</c>. '~' never occurs in a data partition key and sorts after them, so the
/// due buckets are one key range and the sweeper reads only what has expired.
/// </summary>
public sealed class ExpiryIndex(OtpStorage storage)
{
    /// <summary>Files every hint; upserts, so filing one twice is harmless.</summary>
    public Task AddAsync(IEnumerable<SweepHint> hints, CancellationToken cancellationToken) =>
        Task.WhenAll(hints.Select(hint => AddAsync(hint.Partition, hint.At, cancellationToken)));

    public const string PartitionPrefix = "~sweep-";
    public static readonly TimeSpan BucketLength = TimeSpan.FromMinutes(5);

    /// <summary>Asks for <paramref name="partitionKey"/> to be swept once <paramref name="sweepAt"/> has passed.</summary>
    public async Task AddAsync(string partitionKey, DateTimeOffset sweepAt, CancellationToken cancellationToken) =>
        await storage.Table.UpsertEntityAsync(new TableEntity(BucketFor(sweepAt), partitionKey), TableUpdateMode.Replace, cancellationToken);

    /// <summary>The bucket that ends at or after <paramref name="at"/>: rows are never swept early.</summary>
    public static string BucketFor(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        var rounded = (ticks + BucketLength.Ticks - 1) / BucketLength.Ticks * BucketLength.Ticks;
        return Name(rounded);
    }

    /// <summary>The last bucket that has fully ended by <paramref name="now"/>.</summary>
    public static string LastDueBucket(DateTimeOffset now) => Name(now.UtcTicks / BucketLength.Ticks * BucketLength.Ticks);

    private static string Name(long ticks) =>
        PartitionPrefix + new DateTime(ticks, DateTimeKind.Utc).ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);
}

/// <summary>"Sweep <see cref="Partition"/> after <see cref="At"/>": carried in the delivery message and filed off the request path.</summary>
public sealed record SweepHint(
    [property: System.Text.Json.Serialization.JsonPropertyName("p")] string Partition,
    [property: System.Text.Json.Serialization.JsonPropertyName("at")] DateTimeOffset At);
