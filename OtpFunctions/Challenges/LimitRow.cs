using Azure.Data.Tables;
using OtpFunctions.Storage;

namespace OtpFunctions.Challenges;

/// <summary>
/// The row of a destination's limits, beside its challenges: the send window, the wrong-code count and the pending
/// challenge per purpose. Written only inside the transactions that count a send or a wrong code.
/// </summary>
internal static class LimitRow
{
    public const string Key = "limit";
    private const string PendingPrefix = "Pending_";
    private static readonly DateTimeOffset MinStorableDate = new(1601, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static DestinationLimit Read(string partitionKey, TableEntity? row)
    {
        if (row is null)
        {
            return new DestinationLimit(partitionKey, RateWindow.Empty, new Dictionary<string, PendingChallenge>(), default);
        }

        var pending = new Dictionary<string, PendingChallenge>(StringComparer.Ordinal);
        foreach (var (key, value) in row)
        {
            if (key.StartsWith(PendingPrefix, StringComparison.Ordinal) && value is string text && text.Split('|') is [var challengeId, var ticks] && long.TryParse(ticks, out var expires))
            {
                pending[key[PendingPrefix.Length..]] = new PendingChallenge(challengeId, new DateTimeOffset(expires, TimeSpan.Zero));
            }
        }

        return new DestinationLimit(partitionKey, ReadWindow(row), pending, row.ETag)
        {
            Failures = new RateWindow(row.GetDateTimeOffset("FailuresStart") ?? DateTimeOffset.MinValue, row.GetInt32("FailuresCount") ?? 0),
            PurgeAt = row.GetDateTimeOffset(StoredRow.PurgeAtColumn) ?? default,
        };
    }

    public static TableTransactionAction Action(DestinationLimit limit, DateTimeOffset purgeAt)
    {
        var row = WindowRow(limit.PartitionKey, limit.Window, purgeAt);
        if (limit.Failures.Count > 0)
        {
            // Azure Table refuses dates before 1601: an empty window's start is simply not written.
            row["FailuresStart"] = limit.Failures.Start;
            row["FailuresCount"] = limit.Failures.Count;
        }
        foreach (var (purpose, pending) in limit.Pending)
        {
            row[PendingPrefix + purpose] = $"{pending.ChallengeId}|{pending.ExpiresAt.UtcTicks}";
        }

        return limit.Exists
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, limit.ETag)
            : new TableTransactionAction(TableTransactionActionType.Add, row);
    }

    private static TableEntity WindowRow(string partitionKey, RateWindow window, DateTimeOffset purgeAt)
    {
        var row = new TableEntity(partitionKey, Key) { [StoredRow.PurgeAtColumn] = Storable(purgeAt) };
        if (window.Start != DateTimeOffset.MinValue)
        {
            row["WindowStart"] = window.Start;
            row["WindowCount"] = window.Count;
        }

        return row;
    }

    // Azure Table keeps dates from 1601 on; "never" is stored as the earliest it accepts.
    private static DateTimeOffset Storable(DateTimeOffset at) => at < MinStorableDate ? MinStorableDate : at;

    private static RateWindow ReadWindow(TableEntity row) =>
        new(row.GetDateTimeOffset("WindowStart") ?? DateTimeOffset.MinValue, row.GetInt32("WindowCount") ?? 0);
}
