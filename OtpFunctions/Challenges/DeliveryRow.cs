using Azure.Data.Tables;
using OtpFunctions.Storage;

namespace OtpFunctions.Challenges;

/// <summary>The row of a challenge's delivery status: written by the queue function and delivery reports only.</summary>
internal static class DeliveryRow
{
    public static TableEntity From(ChallengeId id, int codeVersion, DeliveryState state, DateTimeOffset purgeAt) => new(id.PartitionKey, id.DeliveryRowKey)
    {
        ["CodeVersion"] = codeVersion,
        ["Status"] = state.Status.ToWire(),
        ["UpdatedAt"] = state.UpdatedAt,
        ["Error"] = state.Error,
        ["ProviderMessageId"] = state.ProviderMessageId,
        ["Attempts"] = state.Attempts,
        [StoredRow.PurgeAtColumn] = purgeAt,
    };

    public static DeliveryState ToState(TableEntity row) => new(
        DeliveryStatusNames.Parse(row.GetString("Status")),
        row.GetDateTimeOffset("UpdatedAt") ?? default,
        row.GetString("Error"),
        row.GetString("ProviderMessageId"),
        row.GetInt32("Attempts") ?? 0);
}
