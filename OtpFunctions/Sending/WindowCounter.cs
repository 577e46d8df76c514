using Azure;
using Azure.Data.Tables;
using OtpFunctions.Challenges;
using OtpFunctions.Storage;
using OtpFunctions.Sweeping;

namespace OtpFunctions.Sending;

/// <summary>
/// A send budget in fixed windows aligned to the clock, for keys many requests share (a client IP behind
/// a carrier's NAT, a country calling code, the whole service). The count is spread over
/// <see cref="Shards"/> rows of one partition: a check is one partition query, a count is one ETag write
/// to a random shard, so concurrent senders rarely collide on a row.
/// </summary>
/// <remarks>
/// Checking and counting are separate steps so a send can run the check beside its destination's read and
/// the count beside its destination's transaction (two round trips in sequence instead of four). The
/// decision is the check's: senders that pass the same check together are all counted, as with racers on
/// different shards, so the window can run over by at most the senders in flight; a count is never lost.
/// </remarks>
public sealed class WindowCounter(OtpStorage storage, TimeProvider time)
{
    public const int Shards = 16;
    private const int MaxRounds = 64;

    /// <summary>Reads <paramref name="partitionKey"/>'s window: full (how long to wait) or room for one more.</summary>
    public async Task<WindowCheck> CheckAsync(string partitionKey, int limit, TimeSpan windowLength, CancellationToken cancellationToken)
    {
        var check = await ReadAsync(partitionKey, windowLength, cancellationToken);
        return check.Used >= limit ? check with { Wait = check.WindowEnd - time.GetUtcNow() } : check;
    }

    /// <summary>
    /// Counts one send in the window <paramref name="check"/> read. A lost race for the shard reads again and
    /// counts again, without a second decision. Returns where the sweeper must look when this opened a shard's window.
    /// </summary>
    public async Task<SweepHint?> CountAsync(WindowCheck check, CancellationToken cancellationToken)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            var shard = "s" + Random.Shared.Next(Shards);
            var existing = check.Rows.GetValueOrDefault(shard);
            var current = existing?.GetInt64("Window") == check.Window;
            var row = new TableEntity(check.PartitionKey, shard)
            {
                ["Window"] = check.Window,
                ["Count"] = (current ? existing!.GetInt32("Count") ?? 0 : 0) + 1,
                [StoredRow.PurgeAtColumn] = check.WindowEnd,
            };
            try
            {
                await (existing is null
                    ? storage.Table.AddEntityAsync(row, cancellationToken)
                    : storage.Table.UpdateEntityAsync(row, existing.ETag, TableUpdateMode.Replace, cancellationToken));
                return current ? null : new SweepHint(check.PartitionKey, check.WindowEnd);
            }
            catch (RequestFailedException exception) when (exception.IsLostRace())
            {
                // Another sender took this shard first: read again, pausing as every retry loop here does.
                await ChallengeRules.BackOffAsync(round, cancellationToken);
                check = await ReadAsync(check.PartitionKey, check.WindowLength, cancellationToken);
            }
        }

        throw new ContentionException();
    }

    private async Task<WindowCheck> ReadAsync(string partitionKey, TimeSpan windowLength, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var window = now.UtcTicks / windowLength.Ticks;
        var rows = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        await foreach (var stored in storage.Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}"), cancellationToken: cancellationToken))
        {
            rows[stored.RowKey] = stored;
        }

        var used = rows.Values.Where(stored => stored.GetInt64("Window") == window).Sum(stored => stored.GetInt32("Count") ?? 0);
        return new WindowCheck(partitionKey, windowLength, window, new DateTimeOffset((window + 1) * windowLength.Ticks, TimeSpan.Zero), used, rows, null);
    }
}

/// <summary>One read of a window: its shards as read, how much is used, and how long to wait when it is full.</summary>
public sealed record WindowCheck(
    string PartitionKey,
    TimeSpan WindowLength,
    long Window,
    DateTimeOffset WindowEnd,
    int Used,
    IReadOnlyDictionary<string, TableEntity> Rows,
    TimeSpan? Wait);
