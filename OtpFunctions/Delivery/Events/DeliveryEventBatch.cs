namespace OtpFunctions.Delivery.Events;

/// <summary>What an Event Grid delivery held: a validation handshake, reports, or both (never in practice).</summary>
public sealed record DeliveryEventBatch(string? ValidationCode, IReadOnlyList<DeliveryReport> Reports)
{
    public bool IsValidationHandshake => ValidationCode is not null;
}
