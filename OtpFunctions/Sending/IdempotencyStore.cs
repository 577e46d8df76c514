using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using OtpFunctions.Security;
using OtpFunctions.Storage;

namespace OtpFunctions.Sending;

/// <summary>
/// Remembers the first answer to an <c>Idempotency-Key</c>. A placeholder row is claimed before the send,
/// so two concurrent requests with one key can never both send. Keys given here are the caller-scoped
/// keyed hashes of <see cref="OtpHasher.IdempotencyKey"/>, never the client's text.
/// </summary>
public sealed class IdempotencyStore(OtpStorage storage)
{
    private const string Row = "idem";

    public async Task<IdempotencyClaim> ClaimAsync(string key, string fingerprint, DateTimeOffset now, DateTimeOffset purgeAt, CancellationToken cancellationToken)
    {
        var partitionKey = PartitionKey(key);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                var claim = new TableEntity(partitionKey, Row) { ["Fingerprint"] = fingerprint, [StoredRow.PurgeAtColumn] = purgeAt };
                await storage.Table.AddEntityAsync(claim, cancellationToken);
                return new IdempotencyClaim(IdempotencyClaimKind.Claimed, null) { PartitionKey = partitionKey };
            }
            catch (RequestFailedException exception) when (exception.IsConflict())
            {
                var existing = await storage.Table.GetEntityIfExistsAsync<TableEntity>(partitionKey, Row, cancellationToken: cancellationToken);
                if (!existing.HasValue)
                {
                    continue; // Abandoned between our add and read: claim again.
                }

                var row = existing.Value!;
                if (row.GetDateTimeOffset(StoredRow.PurgeAtColumn) <= now)
                {
                    // Past its lifetime but not yet swept: the key is free again.
                    await TryDeleteAsync(partitionKey, row.ETag, cancellationToken);
                    continue;
                }

                if (row.GetString("Fingerprint") != fingerprint)
                {
                    return new IdempotencyClaim(IdempotencyClaimKind.Mismatch, null);
                }

                return row.GetString("Response") is { } response
                    ? new IdempotencyClaim(IdempotencyClaimKind.Replay, response)
                    : new IdempotencyClaim(IdempotencyClaimKind.InProgress, null);
            }
        }

        return new IdempotencyClaim(IdempotencyClaimKind.InProgress, null);
    }

    public async Task CompleteAsync(string key, string fingerprint, string responseJson, DateTimeOffset purgeAt, CancellationToken cancellationToken)
    {
        var row = new TableEntity(PartitionKey(key), Row)
        {
            ["Fingerprint"] = fingerprint,
            ["Response"] = responseJson,
            [StoredRow.PurgeAtColumn] = purgeAt,
        };
        await storage.Table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Frees the key after a refused or failed send, so a retry is judged afresh.</summary>
    public Task AbandonAsync(string key, CancellationToken cancellationToken) => TryDeleteAsync(PartitionKey(key), ETag.All, cancellationToken);

    /// <summary>
    /// A key worth trusting with a replay: a UUID or a similar random value (22-255 url-safe or base64
    /// characters, at least 12 of them different), so one caller cannot guess another request's key and
    /// "1" or "retry" are refused instead of colliding across a caller's users.
    /// </summary>
    public static bool IsHighEntropy(string key) =>
        Guid.TryParse(key, out _)
        || (key.Length is >= 22 and <= MaxKeyLength && key.All(IsKeyCharacter) && key.Distinct().Count() >= 12);

    public const int MaxKeyLength = 255;

    private static bool IsKeyCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' or '+' or '/' or '=' or ':';

    public static string Fingerprint(params string[] parts) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))));

    private async Task TryDeleteAsync(string partitionKey, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Table.DeleteEntityAsync(partitionKey, Row, etag, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.IsNotFound() || exception.IsPreconditionFailed())
        {
        }
    }

    // The key arrives already hashed under the pepper and the caller's scope (OtpHasher.IdempotencyKey): url-safe and unreversible.
    private static string PartitionKey(string key) => "idem-" + key;
}

public enum IdempotencyClaimKind
{
    Claimed,
    Replay,
    Mismatch,
    InProgress,
}

public sealed record IdempotencyClaim(IdempotencyClaimKind Kind, string? ResponseJson)
{
    /// <summary>The claimed row's partition, for the expiry index.</summary>
    public string? PartitionKey { get; init; }
}
