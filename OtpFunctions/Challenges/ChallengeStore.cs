using Azure;
using Azure.Data.Tables;
using OtpFunctions.Sessions;
using OtpFunctions.Storage;
using OtpFunctions.Sweeping;

namespace OtpFunctions.Challenges;

/// <summary>
/// Every read and write of challenge state. A destination's limit row, its challenges and their sessions
/// share one partition, so each state change is a single entity-group transaction guarded by ETags
/// (session rows are <see cref="SessionStore"/>'s; a verify adds one in the transaction that consumes the code).
/// The write that gives a partition its first live row files it for the sweeper (<see cref="ExpiryIndex"/>).
/// </summary>
public sealed class ChallengeStore(OtpStorage storage, ExpiryIndex expiryIndex)
{
    private TableClient Table => storage.Table;

    public async Task<Challenge?> GetChallengeAsync(ChallengeId id, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<ChallengeEntity>(id.PartitionKey, id.RowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value!.ToChallenge() : null;
    }

    public async Task<DestinationLimit> GetDestinationLimitAsync(string partitionKey, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(partitionKey, LimitRow.Key, cancellationToken: cancellationToken);
        return LimitRow.Read(partitionKey, response.HasValue ? response.Value : null);
    }

    /// <summary>The challenge and its destination's limit row in one round trip: both live in one partition.</summary>
    public async Task<(Challenge? Challenge, DestinationLimit Limit)> GetChallengeAndLimitAsync(ChallengeId id, CancellationToken cancellationToken)
    {
        var rows = await ReadRowsAsync(id, [id.RowKey, LimitRow.Key], cancellationToken);
        return (ReadChallenge(rows, id, withDelivery: false), LimitRow.Read(id.PartitionKey, rows.GetValueOrDefault(LimitRow.Key)));
    }

    /// <summary>Everything the status route shows, in one round trip.</summary>
    public async Task<(Challenge? Challenge, DestinationLimit Limit)> GetStatusAsync(ChallengeId id, CancellationToken cancellationToken)
    {
        var rows = await ReadRowsAsync(id, [id.RowKey, id.DeliveryRowKey, LimitRow.Key], cancellationToken);
        return (ReadChallenge(rows, id, withDelivery: true), LimitRow.Read(id.PartitionKey, rows.GetValueOrDefault(LimitRow.Key)));
    }

    /// <summary>
    /// The challenge with its delivery status, for the queue function, and the status row's ETag so the
    /// outcome can be written over it without reading it again.
    /// </summary>
    public async Task<DeliveryRead> GetForDeliveryAsync(ChallengeId id, CancellationToken cancellationToken)
    {
        var rows = await ReadRowsAsync(id, [id.RowKey, id.DeliveryRowKey], cancellationToken);
        var challenge = ReadChallenge(rows, id, withDelivery: true);
        return rows.GetValueOrDefault(id.DeliveryRowKey) is { } status && challenge is not null && status.GetInt32("CodeVersion") == challenge.CodeVersion
            ? new DeliveryRead(challenge, status.ETag, status.GetDateTimeOffset(StoredRow.PurgeAtColumn) ?? default)
            : new DeliveryRead(challenge, null, default);
    }

    private async Task<Dictionary<string, TableEntity>> ReadRowsAsync(ChallengeId id, string[] rowKeys, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {id.PartitionKey}") + " and ("
            + string.Join(" or ", rowKeys.Select(rowKey => TableClient.CreateQueryFilter($"RowKey eq {rowKey}"))) + ")";
        var rows = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, maxPerPage: rowKeys.Length, cancellationToken: cancellationToken))
        {
            rows[row.RowKey] = row;
        }

        return rows;
    }

    private static Challenge? ReadChallenge(Dictionary<string, TableEntity> rows, ChallengeId id, bool withDelivery)
    {
        if (!rows.TryGetValue(id.RowKey, out var row))
        {
            return null;
        }

        var challenge = ChallengeEntity.FromTableEntity(row).ToChallenge();
        if (!withDelivery)
        {
            return challenge;
        }

        // A delivery row for an older code version says nothing about the current code.
        var delivery = rows.GetValueOrDefault(id.DeliveryRowKey);
        return challenge with
        {
            Delivery = delivery is not null && delivery.GetInt32("CodeVersion") == challenge.CodeVersion
                ? DeliveryRow.ToState(delivery)
                : DeliveryState.NewlyQueued(challenge.LastSentAt),
        };
    }

    /// <summary>
    /// Records a new challenge, the destination's counted send and the new pending pointer, and retires the
    /// challenge it supersedes, all in one transaction. False when the limit row changed since it was read.
    /// </summary>
    public async Task<SaveResult> TrySaveNewChallengeAsync(DestinationLimit limit, Challenge challenge, string? supersededId, DateTimeOffset limitPurgeAt, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction>(3)
        {
            LimitRow.Action(limit, limitPurgeAt),
            new(TableTransactionActionType.Add, ChallengeEntity.From(challenge)),
            new(TableTransactionActionType.UpsertReplace, NewDeliveryRow(challenge)),
        };
        if (supersededId is not null && ChallengeId.TryParse(supersededId, out var old))
        {
            // Unconditional: any concurrent write to the old row changes its ETag, so a verify racing us retries and sees it superseded.
            var retire = new TableEntity(old.PartitionKey, old.RowKey) { [nameof(ChallengeEntity.SupersededBy)] = challenge.Id.Value };
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateMerge, retire, ETag.All));
        }

        var saving = SubmitAsync(actions, cancellationToken);
        await Task.WhenAll(saving, FileIfFirstLiveAsync(limit, challenge, limitPurgeAt, cancellationToken));
        return saving.Result;
    }

    /// <summary>
    /// Records a relayed code (see <see cref="Challenge.Relayed"/>) with its queued delivery status. The destination's
    /// limit row is not touched: whoever generated the code applies its own limits, and ours would only fail its sign-ins.
    /// </summary>
    public async Task SaveRelayedChallengeAsync(Challenge challenge, CancellationToken cancellationToken) =>
        await Task.WhenAll(
            Table.SubmitTransactionAsync(
                [
                    new(TableTransactionActionType.Add, ChallengeEntity.From(challenge)),
                    new(TableTransactionActionType.UpsertReplace, NewDeliveryRow(challenge)),
                ],
                cancellationToken),
            expiryIndex.FileAsync(challenge.Id.PartitionKey, challenge.ExpiresAt + ChallengeEntity.Retention, cancellationToken));

    /// <summary>Stores a resent code together with the destination's counted send.</summary>
    public async Task<SaveResult> TrySaveResentChallengeAsync(DestinationLimit limit, Challenge challenge, DateTimeOffset limitPurgeAt, CancellationToken cancellationToken)
    {
        var saving = SubmitAsync(
            [
                LimitRow.Action(limit, limitPurgeAt),
                new(TableTransactionActionType.UpdateReplace, ChallengeEntity.From(challenge), challenge.ETag),
                new(TableTransactionActionType.UpsertReplace, NewDeliveryRow(challenge)),
            ],
            cancellationToken);
        await Task.WhenAll(saving, FileIfFirstLiveAsync(limit, challenge, limitPurgeAt, cancellationToken));
        return saving.Result;
    }

    /// <summary>
    /// A destination's partition is filed for the sweeper when a send gives it its first live row; from then on the
    /// sweeper keeps it filed while anything in it (challenges, sessions, counts) is live. A limit row found past its
    /// purge time is one the sweeper has not reached: filed again, which also mends a filing a storage fault lost.
    /// Made beside the transaction, not after it: a filing for rows that were then not written is harmless.
    /// </summary>
    private Task FileIfFirstLiveAsync(DestinationLimit limit, Challenge challenge, DateTimeOffset limitPurgeAt, CancellationToken cancellationToken) =>
        limit.Exists && limit.PurgeAt > challenge.LastSentAt
            ? Task.CompletedTask
            : expiryIndex.FileAsync(limit.PartitionKey, new[] { challenge.ExpiresAt + ChallengeEntity.Retention, limitPurgeAt }.Min(), cancellationToken);

    /// <summary>Replaces a challenge if it is unchanged since read (an attempt counted, a cancel).</summary>
    public async Task<bool> TryReplaceChallengeAsync(Challenge challenge, CancellationToken cancellationToken) =>
        await TryAsync(Table.UpdateEntityAsync(ChallengeEntity.From(challenge), challenge.ETag, TableUpdateMode.Replace, cancellationToken));

    /// <summary>
    /// Consumes the code and creates its session atomically (and clears the destination's failure count
    /// when <paramref name="limit"/> is given): all happen or none.
    /// </summary>
    public async Task<bool> TryApproveAsync(Challenge approved, SessionRecord session, DestinationLimit? limit, DateTimeOffset limitPurgeAt, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction>(3)
        {
            new(TableTransactionActionType.UpdateReplace, ChallengeEntity.From(approved), approved.ETag),
            SessionStore.AddAction(session),
        };
        if (limit is not null)
        {
            actions.Add(LimitRow.Action(limit, limitPurgeAt));
        }

        return await SubmitAsync(actions, cancellationToken) == SaveResult.Saved;
    }

    /// <summary>Counts a wrong code on the challenge and on its destination together.</summary>
    public async Task<bool> TryCountFailureAsync(Challenge counted, DestinationLimit limit, DateTimeOffset limitPurgeAt, CancellationToken cancellationToken) =>
        await SubmitAsync(
            [
                new(TableTransactionActionType.UpdateReplace, ChallengeEntity.From(counted), counted.ETag),
                LimitRow.Action(limit, limitPurgeAt),
            ],
            cancellationToken) == SaveResult.Saved;

    /// <summary>Records what the provider said; a vanished row, or one now owned by a newer code, is left alone.</summary>
    public Task UpdateDeliveryAsync(ChallengeId id, int codeVersion, DeliveryState delivery, CancellationToken cancellationToken) =>
        ChangeDeliveryRowAsync(id, codeVersion, _ => delivery, cancellationToken);

    /// <summary>
    /// Records what the provider said over the status row as <paramref name="read"/> found it: one write, no
    /// second read. If the row changed since (a provider report came first) or has no ETag, it is read again
    /// and replaced as <see cref="UpdateDeliveryAsync(ChallengeId, int, DeliveryState, CancellationToken)"/> does.
    /// </summary>
    public async Task UpdateDeliveryAsync(DeliveryRead read, int codeVersion, DeliveryState delivery, CancellationToken cancellationToken)
    {
        var id = read.Challenge!.Id;
        if (read.StatusETag is { } etag
            && await TryAsync(Table.UpdateEntityAsync(DeliveryRow.From(id, codeVersion, delivery, read.StatusPurgeAt), etag, TableUpdateMode.Replace, cancellationToken)))
        {
            return;
        }

        await UpdateDeliveryAsync(id, codeVersion, delivery, cancellationToken);
    }

    private async Task ChangeDeliveryRowAsync(ChallengeId id, int codeVersion, Func<DeliveryState, DeliveryState> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var response = await Table.GetEntityIfExistsAsync<TableEntity>(id.PartitionKey, id.DeliveryRowKey, cancellationToken: cancellationToken);
            if (!response.HasValue || response.Value!.GetInt32("CodeVersion") != codeVersion)
            {
                return;
            }

            var row = response.Value;
            var updated = DeliveryRow.From(id, codeVersion, change(DeliveryRow.ToState(row)), row.GetDateTimeOffset(StoredRow.PurgeAtColumn) ?? default);
            if (await TryAsync(Table.UpdateEntityAsync(updated, row.ETag, TableUpdateMode.Replace, cancellationToken)))
            {
                return;
            }
        }
    }

    private static TableEntity NewDeliveryRow(Challenge challenge) =>
        DeliveryRow.From(challenge.Id, challenge.CodeVersion, DeliveryState.NewlyQueued(challenge.LastSentAt), challenge.ExpiresAt + ChallengeEntity.Retention);

    /// <summary>
    /// Applies a provider's report, keeping the attempt count and channel history the queue function recorded; a late
    /// report about an earlier channel's message (a fallback has sent another since) is left out.
    /// </summary>
    public Task UpdateDeliveryReportAsync(ChallengeId id, int codeVersion, DeliveryState reported, CancellationToken cancellationToken) =>
        ChangeDeliveryAsync(id, codeVersion, current => current.ProviderMessageId is { } mine && mine != reported.ProviderMessageId ? current : current with { Status = reported.Status, UpdatedAt = reported.UpdatedAt, Error = reported.Error, ProviderMessageId = reported.ProviderMessageId, Envelope = reported.Status == DeliveryStatus.Failed ? current.Envelope : null }, cancellationToken);

    /// <summary>Changes the status row of code <paramref name="codeVersion"/> with <paramref name="change"/>, re-read and re-applied after a lost race.</summary>
    public Task ChangeDeliveryAsync(ChallengeId id, int codeVersion, Func<DeliveryState, DeliveryState> change, CancellationToken cancellationToken) =>
        ChangeDeliveryRowAsync(id, codeVersion, change, cancellationToken);

    private async Task<SaveResult> SubmitAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            await Table.SubmitTransactionAsync(actions, cancellationToken);
            return SaveResult.Saved;
        }
        catch (TableTransactionFailedException exception) when (exception.IsLostRace())
        {
            return SaveResult.Conflict;
        }
        catch (TableTransactionFailedException exception) when (exception.IsNotFound() && exception.FailedTransactionActionIndex == 3)
        {
            return SaveResult.SupersededRowMissing;
        }
        catch (TableTransactionFailedException exception) when (exception.IsNotFound())
        {
            // The row we read was deleted since (swept or cancelled and purged): the caller re-reads.
            return SaveResult.Conflict;
        }
    }

    private static async Task<bool> TryAsync(Task<Response> write)
    {
        try
        {
            await write;
            return true;
        }
        catch (RequestFailedException exception) when (exception.IsLostRace() || exception.IsNotFound())
        {
            return false;
        }
    }
}
