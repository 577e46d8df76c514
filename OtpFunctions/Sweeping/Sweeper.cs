using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using OtpFunctions.Infrastructure;

namespace OtpFunctions.Sweeping;

/// <summary>
/// Deletes rows whose <c>PurgeAt</c> has passed. Deletes are conditional on the ETag read, so a row
/// renewed meanwhile (a new send extending a limit row) survives; running twice at once is harmless.
/// </summary>
public sealed class Sweeper(OtpStorage storage, TimeProvider time, ILogger<Sweeper> logger)
{
    private const int MaxBatch = 100;

    public async Task<SweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var filter = TableClient.CreateQueryFilter($"PurgeAt lt {now}");
        var read = 0;
        var deleted = 0;
        var batch = new List<TableEntity>(MaxBatch);
        await foreach (var row in storage.Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            read++;
            if (batch.Count > 0 && (batch[0].PartitionKey != row.PartitionKey || batch.Count == MaxBatch))
            {
                deleted += await DeleteAsync(batch, cancellationToken);
                batch.Clear();
            }

            batch.Add(row);
        }

        if (batch.Count > 0)
        {
            deleted += await DeleteAsync(batch, cancellationToken);
        }

        OtpLog.SweepCompleted(logger, deleted, read);
        return new SweepResult(read, deleted);
    }

    private async Task<int> DeleteAsync(List<TableEntity> rows, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Table.SubmitTransactionAsync(rows.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, row.ETag)), cancellationToken);
            return rows.Count;
        }
        catch (TableTransactionFailedException)
        {
            // One row changed or vanished since the query: delete the others one by one.
            var deleted = 0;
            foreach (var row in rows)
            {
                try
                {
                    await storage.Table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
                    deleted++;
                }
                catch (RequestFailedException exception) when (exception.Status is 404 or 412)
                {
                }
            }

            return deleted;
        }
    }
}

public sealed record SweepResult(int Read, int Deleted);
