using System.Text.Json;
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
        ["Channel"] = state.Channel?.ToString(),
        ["Earlier"] = state.Earlier.Count == 0 ? null : JsonSerializer.Serialize(state.Earlier.Select(StoredAttempt.From).ToArray()),
        ["Envelope"] = state.Envelope,
        [StoredRow.PurgeAtColumn] = purgeAt,
    };

    public static DeliveryState ToState(TableEntity row) => new(
        DeliveryStatusNames.Parse(row.GetString("Status")),
        row.GetDateTimeOffset("UpdatedAt") ?? default,
        row.GetString("Error"),
        row.GetString("ProviderMessageId"),
        row.GetInt32("Attempts") ?? 0)
    {
        Channel = Enum.TryParse<Channel>(row.GetString("Channel"), out var channel) ? channel : null,
        Earlier = row.GetString("Earlier") is { Length: > 0 } earlier
            ? JsonSerializer.Deserialize<StoredAttempt[]>(earlier)!.Select(stored => stored.ToAttempt()).ToArray()
            : [],
        Envelope = row.GetString("Envelope"),
    };

    /// <summary>An earlier channel's try as the row keeps it: enum names, as the Channel column is stored.</summary>
    private sealed record StoredAttempt(string Channel, string Status, DateTimeOffset At, string? Error)
    {
        public static StoredAttempt From(ChannelAttempt attempt) => new(attempt.Channel.ToString(), attempt.Status.ToWire(), attempt.At, attempt.Error);

        public ChannelAttempt ToAttempt() => new(Enum.Parse<Channel>(Channel), DeliveryStatusNames.Parse(Status), At, Error);
    }
}
