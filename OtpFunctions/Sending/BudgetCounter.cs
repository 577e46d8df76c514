using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using OtpFunctions.Storage;
using OtpFunctions.Sweeping;

namespace OtpFunctions.Sending;

/// <summary>
/// Hard send budgets in fixed windows aligned to the clock. A budget's limit is spread over shard rows of one
/// partition, each capped at its share (<see cref="BudgetShares"/>), and a send takes one unit from one shard with an
/// ETag-checked write before its code leaves. No shard can ever hold more than its cap, so no number of concurrent
/// senders on any number of instances can take more than the limit; a send refused after taking gives its unit back.
/// </summary>
/// <remarks>
/// A look (beside the destination's read) is one point read of a random shard this instance has not seen full; a
/// take (beside the destination's transaction) is one conditional write. So a send costs each budget two entity
/// operations, about 1,000 sends per second on Azure's 2,000 entities/s partition target. Only a shard found full
/// reads the whole partition, to find the room left or prove there is none; an instance that proved it refuses
/// without reading for a second, so a flood past the ceiling costs one query per instance per second.
/// </remarks>
public sealed class BudgetCounter(OtpStorage storage, ExpiryIndex expiryIndex, TimeProvider time)
{
    private static readonly TimeSpan FullFor = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, FullMarks> marks = new(StringComparer.Ordinal);

    /// <summary>Finds a shard with room in <paramref name="budget"/>'s current window, or how long until the window ends.</summary>
    public async Task<BudgetLook> LookAsync(Budget budget, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var window = now.UtcTicks / budget.Window.Ticks;
        var seen = SeenFull(budget.PartitionKey, window);
        if (budget.Limit <= 0)
        {
            return Full(budget, window, now);
        }

        if (seen.Until > now || seen.PickOpen(BudgetShares.ShardCount(budget.Limit)) is not { } shard)
        {
            return seen.Until > now ? Full(budget, window, now) : await LookEverywhereAsync(budget, window, cancellationToken);
        }

        var row = await ReadShardAsync(budget.PartitionKey, shard, cancellationToken);
        if (Count(row, window) < BudgetShares.Capacity(budget.Limit, shard))
        {
            return new BudgetLook(budget, window, shard, row, null);
        }

        MarkFull(budget.PartitionKey, window, shard);
        return await LookEverywhereAsync(budget, window, cancellationToken);
    }

    /// <summary>
    /// Takes one unit where <paramref name="look"/> found room. A lost race or a shard filled meanwhile looks again, so
    /// a send is refused only once every shard is full.
    /// </summary>
    public async Task<BudgetTake?> TakeAsync(BudgetLook look, CancellationToken cancellationToken)
    {
        for (var round = 0; ; round++)
        {
            if (look.Wait is not null)
            {
                return null;
            }

            // A window that ended since the look is counted afresh in the new one.
            if (time.GetUtcNow().UtcTicks / look.Budget.Window.Ticks != look.Window)
            {
                look = await LookAsync(look.Budget, cancellationToken);
                continue;
            }

            try
            {
                await WriteTakenAsync(look, cancellationToken);
                return new BudgetTake(look.Budget, look.Window, look.Shard);
            }
            catch (RequestFailedException exception) when (exception.IsLostRace())
            {
                await Contention.LostRaceAsync(round, cancellationToken);
                look = await LookAsync(look.Budget, cancellationToken);
            }
        }
    }

    /// <summary>The shard with one more unit counted, if it is still as looked at; the sweeper learns of the budget's partition beside it.</summary>
    private async Task WriteTakenAsync(BudgetLook look, CancellationToken cancellationToken)
    {
        var windowEnd = WindowEnd(look.Budget, look.Window);
        var row = new TableEntity(look.Budget.PartitionKey, BudgetShares.ShardKey(look.Shard))
        {
            ["Window"] = look.Window,
            ["Count"] = Count(look.Row, look.Window) + 1,
            [StoredRow.PurgeAtColumn] = windowEnd,
        };
        await Task.WhenAll(
            look.Row is null
                ? storage.Table.AddEntityAsync(row, cancellationToken)
                : storage.Table.UpdateEntityAsync(row, look.Row.ETag, TableUpdateMode.Replace, cancellationToken),
            expiryIndex.FileSharedAsync(look.Budget.PartitionKey, windowEnd, cancellationToken));
    }

    /// <summary>Returns a unit a refused send took; a window that has ended meanwhile has nothing to return to.</summary>
    public async Task GiveBackAsync(BudgetTake take, CancellationToken cancellationToken)
    {
        for (var round = 0; ; round++)
        {
            var row = await ReadShardAsync(take.Budget.PartitionKey, take.Shard, cancellationToken);
            if (row is null || Count(row, take.Window) == 0)
            {
                return;
            }

            row["Count"] = Count(row, take.Window) - 1;
            try
            {
                await storage.Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                marks.TryRemove(take.Budget.PartitionKey, out _);
                return;
            }
            catch (RequestFailedException exception) when (exception.IsLostRace())
            {
                await Contention.LostRaceAsync(round, cancellationToken);
            }
        }
    }

    /// <summary>How long until <paramref name="budget"/>'s current window ends: the wait of a refused send.</summary>
    public TimeSpan UntilWindowEnds(Budget budget)
    {
        var now = time.GetUtcNow();
        return WindowEnd(budget, now.UtcTicks / budget.Window.Ticks) - now;
    }

    private async Task<BudgetLook> LookEverywhereAsync(Budget budget, long window, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {budget.PartitionKey}");
        await foreach (var stored in storage.Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            rows[stored.RowKey] = stored;
        }

        var open = Enumerable.Range(0, BudgetShares.ShardCount(budget.Limit))
            .Where(shard => Count(rows.GetValueOrDefault(BudgetShares.ShardKey(shard)), window) < BudgetShares.Capacity(budget.Limit, shard))
            .ToArray();
        var now = time.GetUtcNow();
        if (open.Length == 0)
        {
            var until = WindowEnd(budget, window);
            marks[budget.PartitionKey] = new FullMarks(window, ulong.MaxValue, now + FullFor < until ? now + FullFor : until);
            return Full(budget, window, now);
        }

        var chosen = open[Random.Shared.Next(open.Length)];
        return new BudgetLook(budget, window, chosen, rows.GetValueOrDefault(BudgetShares.ShardKey(chosen)), null);
    }

    private async Task<TableEntity?> ReadShardAsync(string partitionKey, int shard, CancellationToken cancellationToken)
    {
        var read = await storage.Table.GetEntityIfExistsAsync<TableEntity>(partitionKey, BudgetShares.ShardKey(shard), cancellationToken: cancellationToken);
        return read.HasValue ? read.Value : null;
    }

    private FullMarks SeenFull(string partitionKey, long window) =>
        marks.TryGetValue(partitionKey, out var seen) && seen.Window == window ? seen : new FullMarks(window, 0, DateTimeOffset.MinValue);

    private void MarkFull(string partitionKey, long window, int shard) =>
        marks.AddOrUpdate(
            partitionKey,
            _ => new FullMarks(window, 1UL << shard, DateTimeOffset.MinValue),
            (_, seen) => seen.Window == window ? seen with { Shards = seen.Shards | (1UL << shard) } : new FullMarks(window, 1UL << shard, DateTimeOffset.MinValue));

    private static int Count(TableEntity? row, long window) =>
        row is not null && row.GetInt64("Window") == window ? row.GetInt32("Count") ?? 0 : 0;

    private static DateTimeOffset WindowEnd(Budget budget, long window) => new((window + 1) * budget.Window.Ticks, TimeSpan.Zero);

    private static BudgetLook Full(Budget budget, long window, DateTimeOffset now) =>
        new(budget, window, -1, null, WindowEnd(budget, window) - now);

    /// <summary>What this instance has seen of one budget's window: shards found full, and until when all of it is.</summary>
    private sealed record FullMarks(long Window, ulong Shards, DateTimeOffset Until)
    {
        public int? PickOpen(int shardCount)
        {
            var open = Enumerable.Range(0, shardCount).Where(shard => (Shards & (1UL << shard)) == 0).ToArray();
            return open.Length == 0 ? null : open[Random.Shared.Next(open.Length)];
        }
    }
}

/// <summary>A shard of <see cref="Budget"/> with room (and its row as read, for the ETag), or <see cref="Wait"/> when the budget is full.</summary>
public sealed record BudgetLook(Budget Budget, long Window, int Shard, TableEntity? Row, TimeSpan? Wait);

/// <summary>One unit taken from a shard.</summary>
public sealed record BudgetTake(Budget Budget, long Window, int Shard);
