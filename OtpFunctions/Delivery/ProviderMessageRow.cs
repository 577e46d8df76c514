using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using OtpFunctions.Challenges;
using OtpFunctions.Security;
using OtpFunctions.Storage;

namespace OtpFunctions.Delivery;

/// <summary>
/// The index row from a provider's message id to the challenge and code version it carried, for delivery reports:
/// in the partition of its send's hour (<see cref="ProviderMessageBuckets"/>), keyed by the hashed message id.
/// </summary>
internal static class ProviderMessageRow
{
    /// <summary>The row key of a message id: provider ids are foreign text; hashed, they are always a valid key.</summary>
    public static string KeyOf(string providerMessageId) => Base64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(providerMessageId)));

    /// <summary>
    /// Where the previous version kept the row (a partition per message id, row key <c>msg</c>): read when the hours
    /// miss, so reports for messages sent just before an upgrade still find their challenge. Those rows were filed for
    /// the sweeper when written; this read can go once no deployment older than a code's lifetime plus an hour remains.
    /// </summary>
    public static (string PartitionKey, string RowKey) Legacy(string providerMessageId) => ("msg-" + KeyOf(providerMessageId), "msg");

    public static TableEntity From(string partitionKey, string providerMessageId, ChallengeId id, int codeVersion, DateTimeOffset purgeAt) => new(partitionKey, KeyOf(providerMessageId))
    {
        ["ChallengeId"] = id.Value,
        ["CodeVersion"] = codeVersion,
        [StoredRow.PurgeAtColumn] = purgeAt,
    };

    public static (ChallengeId Id, int CodeVersion)? Owner(TableEntity row) =>
        ChallengeId.TryParse(row.GetString("ChallengeId"), out var id) ? (id, row.GetInt32("CodeVersion") ?? 0) : null;
}
