namespace OtpFunctions.Delivery;

/// <summary>What a provider said about one request.</summary>
public sealed record DeliveryOutcome(DeliveryOutcomeKind Kind, string? ProviderMessageId, string? Error, TimeSpan? RetryAfter)
{
    public static DeliveryOutcome Sent(string? providerMessageId) => new(DeliveryOutcomeKind.Sent, providerMessageId, null, null);

    public static DeliveryOutcome Transient(string error, TimeSpan? retryAfter = null) => new(DeliveryOutcomeKind.Transient, null, error, retryAfter);

    public static DeliveryOutcome Permanent(string error) => new(DeliveryOutcomeKind.Permanent, null, error, null);
}
