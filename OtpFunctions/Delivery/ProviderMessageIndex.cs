using Azure.Data.Tables;
using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Storage;
using OtpFunctions.Sweeping;

namespace OtpFunctions.Delivery;

/// <summary>
/// Which challenge a provider's message id belongs to, for delivery reports. A delivery writes one row into the
/// partition of its hour, and files that partition for the sweeper only the first time this instance writes into it,
/// so a delivery costs one table operation here; a report reads the row with one point read (two across an hour's turn).
/// </summary>
public sealed class ProviderMessageIndex(OtpStorage storage, ExpiryIndex expiryIndex, IOptions<OtpOptions> options)
{
    private ProviderMessageBuckets Buckets => new(options.Value.CodeLifetime + ChallengeEntity.Retention);

    /// <summary>Remembers that <paramref name="providerMessageId"/>, accepted at <paramref name="sentAt"/>, carried this code.</summary>
    public async Task RecordAsync(string providerMessageId, ChallengeId id, int codeVersion, DateTimeOffset sentAt, DateTimeOffset purgeAt, CancellationToken cancellationToken)
    {
        var partition = ProviderMessageBuckets.PartitionOf(sentAt);
        await Task.WhenAll(
            storage.Table.UpsertEntityAsync(ProviderMessageRow.From(partition, providerMessageId, id, codeVersion, purgeAt), TableUpdateMode.Replace, cancellationToken),
            expiryIndex.FileSharedAsync(partition, Buckets.SweepAt(sentAt), cancellationToken));
    }

    /// <summary>The challenge and code version a report received at <paramref name="now"/> is about; null when unknown or swept.</summary>
    public async Task<(ChallengeId Id, int CodeVersion)?> FindAsync(string providerMessageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = ProviderMessageRow.KeyOf(providerMessageId);
        var places = Buckets.Candidates(now).Select(partition => (partition, key)).Append(ProviderMessageRow.Legacy(providerMessageId));
        foreach (var (partitionKey, rowKey) in places)
        {
            var response = await storage.Table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
            if (response.HasValue)
            {
                return ProviderMessageRow.Owner(response.Value!);
            }
        }

        return null;
    }
}
