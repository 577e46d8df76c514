namespace OtpFunctions.Client;

/// <summary>The <c>delivery</c> object of a challenge's status.</summary>
/// <param name="Status"><c>queued</c>, <c>sent</c>, <c>delivered</c> or <c>failed</c>.</param>
/// <param name="Channel">The channel of the latest try (a fallback may have moved it on).</param>
/// <param name="UpdatedAt">When the status last changed.</param>
/// <param name="Error">Why delivery failed, when it did.</param>
/// <param name="Attempts">Each channel tried so far, in order.</param>
public sealed record ChallengeDelivery(
    string Status,
    string? Channel,
    DateTimeOffset UpdatedAt,
    string? Error,
    IReadOnlyList<DeliveryAttempt>? Attempts);
