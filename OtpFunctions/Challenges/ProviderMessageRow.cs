using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using OtpFunctions.Security;
using OtpFunctions.Storage;

namespace OtpFunctions.Challenges;

/// <summary>The index row from a provider's message id to the challenge and code version it carried, for delivery reports.</summary>
internal static class ProviderMessageRow
{
    public const string Key = "msg";

    // Provider ids are foreign text: hashed, they are always a valid partition key.
    public static string Partition(string providerMessageId) =>
        "msg-" + Base64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(providerMessageId)));

    public static TableEntity From(string providerMessageId, ChallengeId id, int codeVersion, DateTimeOffset purgeAt) => new(Partition(providerMessageId), Key)
    {
        ["ChallengeId"] = id.Value,
        ["CodeVersion"] = codeVersion,
        [StoredRow.PurgeAtColumn] = purgeAt,
    };

    public static (ChallengeId Id, int CodeVersion)? Owner(TableEntity row) =>
        ChallengeId.TryParse(row.GetString("ChallengeId"), out var id) ? (id, row.GetInt32("CodeVersion") ?? 0) : null;
}
