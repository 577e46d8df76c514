using System.Globalization;
using Azure.Data.Tables;

namespace OtpFunctions.Fraud;

/// <summary>
/// One counter row of a prefix: a ring of <see cref="FraudRule.Slots"/> buckets, bucket <c>b</c> in slot
/// <c>b mod Slots</c> as columns <c>B</c> (the bucket), <c>S</c> (sends) and <c>V</c> (verified). A fixed set of
/// rows holds the whole sliding window, so a send reads one small partition and writes one row.
/// </summary>
public static class ShardRing
{
    public static IEnumerable<BucketCount> Read(TableEntity row)
    {
        for (var slot = 0; slot < FraudRule.Slots; slot++)
        {
            if (row.GetInt64(Column("B", slot)) is { } bucket)
            {
                yield return new BucketCount(bucket, row.GetInt32(Column("S", slot)) ?? 0, row.GetInt32(Column("V", slot)) ?? 0);
            }
        }
    }

    /// <summary>
    /// The row with <paramref name="sends"/> and <paramref name="verified"/> added to <paramref name="bucket"/> and buckets
    /// the ring no longer keeps left out; null when the bucket itself is too old to keep. The ETag is the row's as read.
    /// </summary>
    public static (TableEntity Row, long Newest)? Add(TableEntity? existing, string partitionKey, string rowKey, long bucket, int sends, int verified)
    {
        var buckets = existing is null ? [] : Read(existing).ToList();
        var newest = buckets.Select(kept => kept.Bucket).Append(bucket).Max();
        if (bucket < FraudRule.OldestKept(newest))
        {
            return null;
        }

        var current = buckets.FirstOrDefault(kept => kept.Bucket == bucket) ?? new BucketCount(bucket, 0, 0);
        var row = new TableEntity(partitionKey, rowKey);
        if (existing is not null)
        {
            row.ETag = existing.ETag;
        }

        foreach (var kept in buckets.Where(kept => kept.Bucket >= FraudRule.OldestKept(newest) && kept.Bucket != bucket)
            .Append(current with { Sends = current.Sends + sends, Verified = current.Verified + verified }))
        {
            var slot = (int)(kept.Bucket % FraudRule.Slots);
            row[Column("B", slot)] = kept.Bucket;
            row[Column("S", slot)] = kept.Sends;
            row[Column("V", slot)] = kept.Verified;
        }

        return (row, newest);
    }

    private static string Column(string name, int slot) => name + slot.ToString(CultureInfo.InvariantCulture);
}
