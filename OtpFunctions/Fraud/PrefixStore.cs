using Azure;
using Azure.Data.Tables;
using OtpFunctions.Storage;
using OtpFunctions.Sweeping;

namespace OtpFunctions.Fraud;

/// <summary>
/// A prefix's partition (<c>fg+234803</c>): <see cref="Shards"/> counter rows (<see cref="ShardRing"/>) and the
/// <c>block</c> row. A read is one partition query; a count is one ETag write to a random shard, so concurrent
/// senders rarely collide; a lost race reads that shard again and counts again.
/// </summary>
public sealed class PrefixStore(OtpStorage storage, ExpiryIndex expiryIndex, FraudRule rule)
{
    public const int Shards = 8;
    public const string BlockRow = "block";

    /// <summary>'+' and digits: never a destination's hex key, a budget's name or the index's <c>~</c>.</summary>
    public static string PartitionOf(string prefix) => "fg" + prefix;

    public async Task<PrefixRead> ReadAsync(string prefix, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        await foreach (var row in storage.Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(prefix)}"), cancellationToken: cancellationToken))
        {
            rows[row.RowKey] = row;
        }

        var buckets = rows.Values.Where(row => row.RowKey != BlockRow).SelectMany(ShardRing.Read)
            .GroupBy(count => count.Bucket)
            .Select(group => new BucketCount(group.Key, group.Sum(count => count.Sends), group.Sum(count => count.Verified)))
            .ToList();
        return new PrefixRead(prefix, rows, new PrefixState(buckets, rows.TryGetValue(BlockRow, out var block) ? BlockOf(block) : null));
    }

    /// <summary>
    /// Counts sends or verifications in <paramref name="bucket"/> on a random shard, as read in <paramref name="rows"/>
    /// (null: read the shard first). A row whose purge time moved is filed for the sweeper beside its write.
    /// </summary>
    public async Task CountAsync(string prefix, IReadOnlyDictionary<string, TableEntity>? rows, long bucket, int sends, int verified, CancellationToken cancellationToken)
    {
        var shard = "s" + Random.Shared.Next(Shards);
        var existing = rows is null ? await ReadRowAsync(prefix, shard, cancellationToken) : rows.GetValueOrDefault(shard);
        for (var round = 0; ; round++)
        {
            if (ShardRing.Add(existing, PartitionOf(prefix), shard, bucket, sends, verified) is not { } added)
            {
                return;
            }

            var (row, newest) = added;

            // Purge times step once per turn of the ring, so a busy shard asks for one sweep per turn, not one per send.
            var purgeAt = rule.StartOf((newest / FraudRule.Slots + 2) * FraudRule.Slots);
            row[StoredRow.PurgeAtColumn] = purgeAt;
            try
            {
                await Task.WhenAll(
                    WriteAsync(row, existing is null, cancellationToken),
                    existing?.GetDateTimeOffset(StoredRow.PurgeAtColumn) == purgeAt ? Task.CompletedTask : expiryIndex.FileAsync(row.PartitionKey, purgeAt, cancellationToken));
                return;
            }
            catch (RequestFailedException exception) when (exception.IsLostRace())
            {
                await Contention.LostRaceAsync(round, cancellationToken);
                existing = await ReadRowAsync(prefix, shard, cancellationToken);
            }
        }
    }

    /// <summary>The prefix's block row as it is now, and its ETag (default when there is none).</summary>
    public async Task<(PrefixBlock? Block, ETag ETag)> ReadBlockAsync(string prefix, CancellationToken cancellationToken) =>
        await ReadRowAsync(prefix, BlockRow, cancellationToken) is { } row ? (BlockOf(row), row.ETag) : (null, default);

    /// <summary>Writes the block row if it is still as read (<paramref name="etag"/> default: if there is none) and files it for the sweeper; false when another write came first.</summary>
    public async Task<bool> TryWriteBlockAsync(string prefix, PrefixBlock block, ETag etag, CancellationToken cancellationToken)
    {
        // The row matters while it is in force and while sends it keeps from being judged are inside the window.
        var purgeAt = new[] { block.Until, block.JudgedFrom + rule.Settings.Window + rule.Settings.Grace + rule.BucketLength }.Max();
        var row = new TableEntity(PartitionOf(prefix), BlockRow)
        {
            ["Since"] = block.Since,
            ["Until"] = block.Until,
            ["Sends"] = block.Sends,
            ["Verified"] = block.Verified,
            ["Enforced"] = block.Enforced,
            ["JudgedFrom"] = block.JudgedFrom,
            [StoredRow.PurgeAtColumn] = purgeAt,
            ETag = etag,
        };
        try
        {
            // Filed beside the write: a filing for a row another writer then owns is harmless.
            await Task.WhenAll(WriteAsync(row, etag == default, cancellationToken), expiryIndex.FileAsync(row.PartitionKey, purgeAt, cancellationToken));
            return true;
        }
        catch (RequestFailedException exception) when (exception.IsLostRace())
        {
            return false;
        }
    }

    private Task<Response> WriteAsync(TableEntity row, bool isNew, CancellationToken cancellationToken) => isNew
        ? storage.Table.AddEntityAsync(row, cancellationToken)
        : storage.Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);

    private async Task<TableEntity?> ReadRowAsync(string prefix, string rowKey, CancellationToken cancellationToken)
    {
        var response = await storage.Table.GetEntityIfExistsAsync<TableEntity>(PartitionOf(prefix), rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    private static PrefixBlock BlockOf(TableEntity row) => new(
        row.GetDateTimeOffset("Since") ?? default,
        row.GetDateTimeOffset("Until") ?? default,
        row.GetInt32("Sends") ?? 0,
        row.GetInt32("Verified") ?? 0,
        row.GetBoolean("Enforced") ?? true,
        row.GetDateTimeOffset("JudgedFrom") ?? default);
}
