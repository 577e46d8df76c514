using OtpFunctions.Security;

namespace OtpFunctions.Challenges;

/// <summary>
/// A challenge id is the destination's partition key (22 chars) followed by 22 random chars, so one
/// point read finds the row without an index. Both halves are url-safe base64.
/// </summary>
public readonly record struct ChallengeId(string PartitionKey, string RowKey)
{
    public const int PartLength = 22;

    public string Value => PartitionKey + RowKey[RowPrefix.Length..];

    /// <summary>The row holding this challenge's delivery status, beside it in the partition.</summary>
    public string DeliveryRowKey => "d-" + RowKey[RowPrefix.Length..];

    private const string RowPrefix = "c-";

    public static ChallengeId Create(string partitionKey, string random) => new(partitionKey, RowPrefix + random);

    public static bool TryParse(string? text, out ChallengeId id)
    {
        id = default;
        if (text is null || text.Length != PartLength * 2 || !Base64Url.IsValid(text))
        {
            return false;
        }

        id = new ChallengeId(text[..PartLength], RowPrefix + text[PartLength..]);
        return true;
    }

    public override string ToString() => Value;
}
