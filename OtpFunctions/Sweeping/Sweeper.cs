using Azure;
using Azure.Data.Tables;
using OtpFunctions.Storage;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Sweeping;

/// <summary>
/// Deletes what has expired, reading only the due buckets of the <see cref="ExpiryIndex"/> and the partitions they
/// name. In each partition it deletes the rows whose <c>PurgeAt</c> has passed and files the partition again for the
/// earliest purge time still ahead, so a partition stays filed exactly as long as it holds live rows. Every delete is
/// conditional on the ETag just read, so a row renewed meanwhile survives (and is looked at again soon), two sweeps at
/// once are harmless, and a sweep killed half way is finished by the next (index rows go last).
/// </summary>
public sealed class Sweeper(OtpStorage storage, ExpiryIndex index, TimeProvider time, ILogger<Sweeper> logger)
{
    private const int MaxBatch = 100;

    public async Task<SweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var dueIndex = TableClient.CreateQueryFilter($"PartitionKey ge {ExpiryIndex.PartitionPrefix} and PartitionKey le {ExpiryIndex.LastDueBucket(now)}");
        var indexRows = new List<TableEntity>();
        await foreach (var entry in storage.Table.QueryAsync<TableEntity>(dueIndex, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            indexRows.Add(entry);
        }

        var total = new PartitionSweep(0, 0, 0);
        foreach (var partition in indexRows.Select(entry => entry.RowKey).Distinct(StringComparer.Ordinal))
        {
            total += await SweepPartitionAsync(partition, now, cancellationToken);
        }

        foreach (var bucket in indexRows.GroupBy(entry => entry.PartitionKey, StringComparer.Ordinal))
        {
            await DeleteAsync(bucket.ToList(), cancellationToken);
        }

        OtpLog.SweepCompleted(logger, total.Deleted, total.Read, indexRows.Count);
        return new SweepResult(indexRows.Count, total.Read, total.Deleted, total.Refiled);
    }

    private async Task<PartitionSweep> SweepPartitionAsync(string partition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expired = new List<TableEntity>();
        DateTimeOffset? nextPurge = null;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        await foreach (var row in storage.Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", StoredRow.PurgeAtColumn], cancellationToken: cancellationToken))
        {
            // Rows without a purge time are not the sweeper's to delete, nor a reason to come back.
            if (row.GetDateTimeOffset(StoredRow.PurgeAtColumn) is not { } purgeAt)
            {
                continue;
            }

            if (purgeAt < now)
            {
                expired.Add(row);
            }
            else if (nextPurge is null || purgeAt < nextPurge)
            {
                nextPurge = purgeAt;
            }
        }

        var deleted = await DeleteAsync(expired, cancellationToken);

        // A row renewed since it was read (a delete that lost) is live with a purge time unknown here: looked at again soon.
        if (deleted < expired.Count)
        {
            nextPurge = now + ExpiryIndex.BucketLength;
        }

        if (nextPurge is { } again)
        {
            await index.FileAsync(partition, again, cancellationToken);
        }

        return new PartitionSweep(expired.Count, deleted, nextPurge is null ? 0 : 1);
    }

    private async Task<int> DeleteAsync(List<TableEntity> rows, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var batch in rows.Chunk(MaxBatch))
        {
            try
            {
                await storage.Table.SubmitTransactionAsync(batch.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, row.ETag)), cancellationToken);
                deleted += batch.Length;
            }
            catch (TableTransactionFailedException)
            {
                // One row changed or vanished since it was read: delete the others one by one.
                foreach (var row in batch)
                {
                    try
                    {
                        await storage.Table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
                        deleted++;
                    }
                    catch (RequestFailedException exception) when (exception.IsNotFound() || exception.IsPreconditionFailed())
                    {
                    }
                }
            }
        }

        return deleted;
    }

    private readonly record struct PartitionSweep(int Read, int Deleted, int Refiled)
    {
        public static PartitionSweep operator +(PartitionSweep a, PartitionSweep b) => new(a.Read + b.Read, a.Deleted + b.Deleted, a.Refiled + b.Refiled);
    }
}

/// <summary>What one sweep cost (index rows and expired rows read), achieved (rows deleted), and how many partitions it filed again because rows in them are still live.</summary>
public sealed record SweepResult(int IndexRowsRead, int RowsRead, int Deleted, int Refiled);
