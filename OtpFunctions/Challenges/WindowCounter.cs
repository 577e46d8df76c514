using Azure;
using Azure.Data.Tables;
using OtpFunctions.Infrastructure;
using OtpFunctions.Sweeping;

namespace OtpFunctions.Challenges;

/// <summary>
/// A send budget in fixed windows aligned to the clock, for keys many requests share (a client IP behind
/// a carrier's NAT, a country calling code, the whole service). The count is spread over
/// <see cref="Shards"/> rows of one partition: a check is one partition query, a count is one ETag write
/// to a random shard, so concurrent senders rarely collide on a row.
/// </summary>
public sealed class WindowCounter(OtpStorage storage, TimeProvider time)
{
    public const int Shards = 16;
    private const int MaxRounds = 64;

    /// <summary>
    /// Counts one send against <paramref name="partitionKey"/>. Full: how long to wait. Counted in a shard
    /// that opened a new window: when the sweeper must visit the partition.
    /// </summary>
    public async Task<(TimeSpan? Wait, SweepHint? Sweep)> TryConsumeAsync(string partitionKey, int limit, TimeSpan windowLength, CancellationToken cancellationToken)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            var now = time.GetUtcNow();
            var window = now.UtcTicks / windowLength.Ticks;
            var windowEnd = new DateTimeOffset((window + 1) * windowLength.Ticks, TimeSpan.Zero);
            var shards = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
            await foreach (var stored in storage.Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}"), cancellationToken: cancellationToken))
            {
                shards[stored.RowKey] = stored;
            }

            var used = shards.Values.Where(stored => stored.GetInt64("Window") == window).Sum(stored => stored.GetInt32("Count") ?? 0);
            if (used >= limit)
            {
                return (windowEnd - now, null);
            }

            var shard = "s" + Random.Shared.Next(Shards);
            var existing = shards.GetValueOrDefault(shard);
            var current = existing?.GetInt64("Window") == window;
            var row = new TableEntity(partitionKey, shard)
            {
                ["Window"] = window,
                ["Count"] = (current ? existing!.GetInt32("Count") ?? 0 : 0) + 1,
                [StoredRow.PurgeAtColumn] = windowEnd,
            };
            try
            {
                await (existing is null
                    ? storage.Table.AddEntityAsync(row, cancellationToken)
                    : storage.Table.UpdateEntityAsync(row, existing.ETag, TableUpdateMode.Replace, cancellationToken));
            }
            catch (RequestFailedException exception) when (exception.Status is 409 or 412)
            {
                // Another sender took this shard first: read again, pausing as every retry loop here does.
                await ChallengeRules.BackOffAsync(round, cancellationToken);
                continue;
            }

            return (null, current ? null : new SweepHint(partitionKey, windowEnd));
        }

        throw new ContentionException();
    }
}
