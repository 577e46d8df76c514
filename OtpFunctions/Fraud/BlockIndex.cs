using Azure;
using Azure.Data.Tables;
using OtpFunctions.Storage;
using OtpFunctions.Sweeping;

namespace OtpFunctions.Fraud;

/// <summary>
/// The blocks in force, one row per prefix in one small partition, for the operators' list. The prefix's own
/// <c>block</c> row decides; this is only where an operator finds it, written after it and removed on a lift.
/// </summary>
public sealed class BlockIndex(OtpStorage storage, ExpiryIndex expiryIndex)
{
    public const string Partition = "fg-blocks";

    public async Task AddAsync(string prefix, PrefixBlock block, CancellationToken cancellationToken)
    {
        var row = new TableEntity(Partition, prefix)
        {
            ["Since"] = block.Since,
            ["Until"] = block.Until,
            ["Sends"] = block.Sends,
            ["Verified"] = block.Verified,
            [StoredRow.PurgeAtColumn] = block.Until,
        };
        await Task.WhenAll(
            storage.Table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken),
            expiryIndex.FileAsync(Partition, block.Until, cancellationToken));
    }

    public async Task RemoveAsync(string prefix, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Table.DeleteEntityAsync(Partition, prefix, ETag.All, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.IsNotFound())
        {
        }
    }

    /// <summary>The blocks still in force at <paramref name="now"/>, oldest first.</summary>
    public async Task<IReadOnlyList<BlockView>> ListAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var blocks = new List<BlockView>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and Until gt {now}");
        await foreach (var row in storage.Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            blocks.Add(new BlockView(row.RowKey, row.GetDateTimeOffset("Since") ?? default, row.GetDateTimeOffset("Until") ?? default, row.GetInt32("Sends") ?? 0, row.GetInt32("Verified") ?? 0));
        }

        return blocks.OrderBy(block => block.Since).ToList();
    }
}

/// <summary>One entry of <c>GET /api/fraud/blocks</c>.</summary>
public sealed record BlockView(string Prefix, DateTimeOffset Since, DateTimeOffset Until, int Sends, int Verified);
