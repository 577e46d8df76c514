namespace OtpFunctions.Sessions;

/// <summary>The stored side of a session token: its presence is what makes the token valid until revoked.</summary>
public sealed record SessionRecord(
    string TokenId,
    string PartitionKey,
    string Subject,
    Channel Channel,
    string Purpose,
    string ChallengeId,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt)
{
    public const string RowPrefix = "s-";

    public string RowKey => RowPrefix + TokenId;
}
