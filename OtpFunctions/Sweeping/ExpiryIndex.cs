using System.Collections.Concurrent;
using System.Globalization;
using Azure.Data.Tables;
using OtpFunctions.Storage;

namespace OtpFunctions.Sweeping;

/// <summary>
/// Where the sweeper looks: one row per (five-minute bucket, partition to sweep), in partitions named
/// <c>~sweep-yyyyMMddHHmm</c>. '~' never occurs in a data partition key and sorts after them, so the due buckets are
/// one key range and the sweeper reads only what is due. A partition is filed once, by the write that gives it its
/// first live row; from then on the <see cref="Sweeper"/> files it again for as long as rows in it are live, so no
/// request carries sweep bookkeeping.
/// </summary>
public sealed class ExpiryIndex(OtpStorage storage, TimeProvider time)
{
    public const string PartitionPrefix = "~sweep-";
    public static readonly TimeSpan BucketLength = TimeSpan.FromMinutes(5);

    // Instances' clocks differ a little: a shared partition is filed again this long before the visit it counts on.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    // Shared partitions (provider-message hours, budget windows, fraud counters) this instance filed: the bucket each
    // was filed in, and the filing itself, which writers arriving while it is in flight share rather than repeat.
    private readonly ConcurrentDictionary<string, SharedFiling> sharedFiled = new(StringComparer.Ordinal);

    /// <summary>Asks for <paramref name="partitionKey"/> to be swept once <paramref name="sweepAt"/> has passed; an upsert, so filing twice is harmless.</summary>
    public async Task FileAsync(string partitionKey, DateTimeOffset sweepAt, CancellationToken cancellationToken) =>
        await storage.Table.UpsertEntityAsync(new TableEntity(BucketFor(sweepAt), partitionKey), TableUpdateMode.Replace, cancellationToken);

    /// <summary>
    /// For a partition many writers share: filed only if this instance has not filed it for a visit still ahead. A row
    /// written before that visit is seen by it, and the sweeper files the partition again while the row is live. A
    /// batch of writers arriving together makes one filing and waits for it; one that failed is made again by the next.
    /// </summary>
    public async Task FileSharedAsync(string partitionKey, DateTimeOffset sweepAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task? shared = null;
        lock (sharedFiled)
        {
            if (sharedFiled.TryGetValue(partitionKey, out var filed) && now < filed.Visit - ClockSkew && !filed.Filed.IsFaulted && !filed.Filed.IsCanceled)
            {
                shared = filed.Filed;
            }
            else
            {
                sharedFiled[partitionKey] = new SharedFiling(BucketEnd(sweepAt), mine.Task);
            }
        }

        if (shared is not null)
        {
            await shared;
            return;
        }

        ForgetPastVisits(now);
        try
        {
            await FileAsync(partitionKey, sweepAt, cancellationToken);
            mine.SetResult();
        }
        catch (Exception exception)
        {
            // Writers sharing this filing fail with it (and are retried); the next writer files again.
            mine.SetException(exception);
            _ = mine.Task.Exception;
            throw;
        }
    }

    /// <summary>Many fraud prefixes over time: the visits already past are forgotten, as they no longer spare a filing anyway.</summary>
    private void ForgetPastVisits(DateTimeOffset now)
    {
        if (sharedFiled.Count < MaxRemembered)
        {
            return;
        }

        foreach (var (key, past) in sharedFiled.Where(entry => entry.Value.Visit <= now).ToArray())
        {
            sharedFiled.TryRemove(new KeyValuePair<string, SharedFiling>(key, past));
        }
    }

    private sealed record SharedFiling(DateTimeOffset Visit, Task Filed);

    private const int MaxRemembered = 10_000;

    /// <summary>The bucket that ends at or after <paramref name="at"/>: rows are never swept early.</summary>
    public static string BucketFor(DateTimeOffset at) => Name(BucketEnd(at).UtcTicks);

    /// <summary>The last bucket that has fully ended by <paramref name="now"/>.</summary>
    public static string LastDueBucket(DateTimeOffset now) => Name(now.UtcTicks / BucketLength.Ticks * BucketLength.Ticks);

    private static DateTimeOffset BucketEnd(DateTimeOffset at) =>
        new((at.UtcTicks + BucketLength.Ticks - 1) / BucketLength.Ticks * BucketLength.Ticks, TimeSpan.Zero);

    private static string Name(long ticks) =>
        PartitionPrefix + new DateTime(ticks, DateTimeKind.Utc).ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);
}
