using Azure;
using Azure.Data.Tables;

namespace OtpFunctions.Sessions;

/// <summary>The table row of a session, beside the challenge that bought it.</summary>
internal sealed class SessionEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Subject { get; set; } = "";

    public string Channel { get; set; } = "";

    public string Purpose { get; set; } = "";

    public string ChallengeId { get; set; } = "";

    public DateTimeOffset IssuedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset PurgeAt { get; set; }

    public static SessionEntity From(SessionRecord session) => new()
    {
        PartitionKey = session.PartitionKey,
        RowKey = session.RowKey,
        Subject = session.Subject,
        Channel = session.Channel.ToString(),
        Purpose = session.Purpose,
        ChallengeId = session.ChallengeId,
        IssuedAt = session.IssuedAt,
        ExpiresAt = session.ExpiresAt,
        PurgeAt = session.ExpiresAt,
    };

    public SessionRecord ToRecord() => new(
        RowKey[SessionRecord.RowPrefix.Length..],
        PartitionKey,
        Subject,
        Enum.Parse<Channel>(Channel),
        Purpose,
        ChallengeId,
        IssuedAt,
        ExpiresAt);
}
