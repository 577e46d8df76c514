using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using OtpFunctions.Security;
using OtpFunctions.Storage;
using OtpFunctions.Sweeping;

namespace OtpFunctions.Sending;

/// <summary>
/// Remembers the first answer to an <c>Idempotency-Key</c>. A placeholder row is claimed before the send,
/// so two concurrent requests with one key can never both send. Keys given here are the caller-scoped
/// keyed hashes of <see cref="OtpHasher.IdempotencyKey"/>, never the client's text.
/// </summary>
public sealed class IdempotencyStore(OtpStorage storage, ExpiryIndex expiryIndex, TimeProvider time)
{
    private const string Row = "idem";

    // A send answers in well under a second, a few with storage retries. A claim this old without an answer belongs to
    // a request whose instance died mid-send: the key is free again, so a client retrying it gets an answer.
    private static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Claims <paramref name="key"/> for <paramref name="lifetime"/>, or says why not (an answer to replay, another
    /// request body, a twin still sending). A claimed row is filed for the sweeper at once.
    /// </summary>
    public async Task<IdempotencyClaim> ClaimAsync(string key, string fingerprint, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var claim = await TryClaimAsync(key, fingerprint, now, now + lifetime, cancellationToken);

        // A twin request is still sending: wait for its answer rather than refuse at once.
        for (var wait = 0; claim.Kind == IdempotencyClaimKind.InProgress && wait < 20; wait++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            claim = await TryClaimAsync(key, fingerprint, now, now + lifetime, cancellationToken);
        }

        if (claim.Kind == IdempotencyClaimKind.Claimed)
        {
            await FileForSweepAsync(claim, cancellationToken);
        }

        return claim;
    }

    public async Task CompleteAsync(IdempotencyClaim claim, string responseJson, CancellationToken cancellationToken)
    {
        var row = new TableEntity(PartitionKey(claim.Key), Row)
        {
            ["Fingerprint"] = claim.Fingerprint,
            ["Response"] = responseJson,
            [StoredRow.PurgeAtColumn] = claim.PurgeAt,
        };
        await storage.Table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Frees the key after a refused or failed send, so a retry is judged afresh.</summary>
    public Task AbandonAsync(IdempotencyClaim claim, CancellationToken cancellationToken) => TryDeleteAsync(PartitionKey(claim.Key), ETag.All, cancellationToken);

    private async Task<IdempotencyClaim> TryClaimAsync(string key, string fingerprint, DateTimeOffset now, DateTimeOffset purgeAt, CancellationToken cancellationToken)
    {
        var claimed = new IdempotencyClaim(IdempotencyClaimKind.Claimed, null) { Key = key, Fingerprint = fingerprint, PurgeAt = purgeAt };
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                await storage.Table.AddEntityAsync(new TableEntity(PartitionKey(key), Row) { ["Fingerprint"] = fingerprint, ["ClaimedAt"] = now, [StoredRow.PurgeAtColumn] = purgeAt }, cancellationToken);
                return claimed;
            }
            catch (RequestFailedException exception) when (exception.IsConflict())
            {
                if (await ReadExistingAsync(key, fingerprint, now, cancellationToken) is { } existing)
                {
                    return existing;
                }
            }
        }

        return claimed with { Kind = IdempotencyClaimKind.InProgress };
    }

    /// <summary>What the row that holds <paramref name="key"/> says; null when it was gone or past its lifetime (claim again).</summary>
    private async Task<IdempotencyClaim?> ReadExistingAsync(string key, string fingerprint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existing = await storage.Table.GetEntityIfExistsAsync<TableEntity>(PartitionKey(key), Row, cancellationToken: cancellationToken);
        if (!existing.HasValue)
        {
            return null; // Abandoned between our add and read.
        }

        var row = existing.Value!;
        var abandoned = row.GetString("Response") is null && row.GetDateTimeOffset("ClaimedAt") + ClaimLease <= now;
        if (row.GetDateTimeOffset(StoredRow.PurgeAtColumn) <= now || abandoned)
        {
            // Past its lifetime but not yet swept, or claimed by a request that died: the key is free again.
            await TryDeleteAsync(row.PartitionKey, row.ETag, cancellationToken);
            return null;
        }

        if (row.GetString("Fingerprint") != fingerprint)
        {
            return new IdempotencyClaim(IdempotencyClaimKind.Mismatch, null);
        }

        return row.GetString("Response") is { } response
            ? new IdempotencyClaim(IdempotencyClaimKind.Replay, response)
            : new IdempotencyClaim(IdempotencyClaimKind.InProgress, null);
    }

    private async Task FileForSweepAsync(IdempotencyClaim claim, CancellationToken cancellationToken)
    {
        try
        {
            await expiryIndex.FileAsync(PartitionKey(claim.Key), claim.PurgeAt, cancellationToken);
        }
        catch
        {
            await AbandonAsync(claim, CancellationToken.None);
            throw;
        }
    }

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
    /// <summary>The caller-scoped keyed hash claimed (see <see cref="OtpHasher.IdempotencyKey"/>).</summary>
    public string Key { get; init; } = "";

    public string Fingerprint { get; init; } = "";

    /// <summary>When the sweeper may delete the claimed row: the end of the code's lifetime.</summary>
    public DateTimeOffset PurgeAt { get; init; }
}
