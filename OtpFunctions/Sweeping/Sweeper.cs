using Azure;
using Azure.Data.Tables;
using OtpFunctions.Storage;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Sweeping;

/// <summary>
/// Deletes what has expired, reading only the due buckets of the <see cref="ExpiryIndex"/> and, in each
/// partition they name, only rows whose <c>PurgeAt</c> has passed. Every delete is conditional on the ETag
/// just read, so a row renewed meanwhile survives, two sweeps at once are harmless, and a sweep killed
/// half way is finished by the next (index rows go last).
/// </summary>
public sealed class Sweeper(OtpStorage storage, TimeProvider time, ILogger<Sweeper> logger)
{
    private const int MaxBatch = 100;

    public async Task<SweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var dueIndex = TableClient.CreateQueryFilter($"PartitionKey ge {ExpiryIndex.PartitionPrefix} and PartitionKey le {ExpiryIndex.LastDueBucket(now)}");
        var read = 0;
        var deleted = 0;
        var indexRows = new List<TableEntity>();
        await foreach (var entry in storage.Table.QueryAsync<TableEntity>(dueIndex, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            indexRows.Add(entry);
        }

        foreach (var partition in indexRows.Select(entry => entry.RowKey).Distinct(StringComparer.Ordinal))
        {
            var expired = new List<TableEntity>();
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and PurgeAt lt {now}");
            await foreach (var row in storage.Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                read++;
                expired.Add(row);
            }

            deleted += await DeleteAsync(expired, cancellationToken);
        }

        foreach (var bucket in indexRows.GroupBy(entry => entry.PartitionKey, StringComparer.Ordinal))
        {
            await DeleteAsync(bucket.ToList(), cancellationToken);
        }

        OtpLog.SweepCompleted(logger, deleted, read, indexRows.Count);
        return new SweepResult(indexRows.Count, read, deleted);
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
}

/// <summary>What one sweep cost (index rows and data rows read) and achieved (data rows deleted).</summary>
public sealed record SweepResult(int IndexRowsRead, int RowsRead, int Deleted);
