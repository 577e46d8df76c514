using Azure.Data.Tables;
using OtpFunctions.Storage;

namespace OtpFunctions.Sessions;

/// <summary>
/// Every read and write of session rows. A session lives in its destination's partition, beside the challenge
/// that bought it, so the challenge store adds it (<see cref="AddAction"/>) in the transaction that consumes the code.
/// </summary>
public sealed class SessionStore(OtpStorage storage)
{
    private TableClient Table => storage.Table;

    /// <summary>Adds <paramref name="session"/>; fails the transaction it is part of if the row already exists.</summary>
    public static TableTransactionAction AddAction(SessionRecord session) => new(TableTransactionActionType.Add, SessionEntity.From(session));

    public async Task<SessionRecord?> GetAsync(string partitionKey, string tokenId, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<SessionEntity>(partitionKey, SessionRecord.RowPrefix + tokenId, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value!.ToRecord() : null;
    }

    /// <summary>Deletes a session row; false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(string partitionKey, string tokenId, CancellationToken cancellationToken)
    {
        // Read first: the emulator answers 204 to an unconditional delete of a missing row.
        var existing = await Table.GetEntityIfExistsAsync<SessionEntity>(partitionKey, SessionRecord.RowPrefix + tokenId, select: ["PartitionKey"], cancellationToken: cancellationToken);
        if (!existing.HasValue)
        {
            return false;
        }

        try
        {
            await Table.DeleteEntityAsync(partitionKey, SessionRecord.RowPrefix + tokenId, existing.Value!.ETag, cancellationToken);
            return true;
        }
        catch (Azure.RequestFailedException exception) when (exception.IsNotFound() || exception.IsPreconditionFailed())
        {
            return false;
        }
    }
}
