using System.Text.Json.Serialization;

namespace OtpFunctions.Delivery;

/// <summary>
/// The queue message for one code. Only the challenge id, code version and idempotency data are readable;
/// destination and code travel AES-256-GCM encrypted, bound to that id and version.
/// </summary>
public sealed record DeliveryEnvelope(
    [property: JsonPropertyName("v")] int Version,
    [property: JsonPropertyName("id")] string ChallengeId,
    [property: JsonPropertyName("ver")] int CodeVersion,
    [property: JsonPropertyName("op")] Guid OperationId,
    [property: JsonPropertyName("first")] DateTimeOffset FirstSentAt,
    [property: JsonPropertyName("ct")] string Ciphertext,
    [property: JsonPropertyName("kid")] string KeyId);

/// <summary>What the envelope hides.</summary>
public sealed record DeliverySecret(
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("code")] string Code)
{
    // A code and a full address must never reach a log through the record's generated ToString.
    public override string ToString() => "DeliverySecret { *** }";
}
