namespace OtpFunctions.Challenges;

/// <summary>Where a code's message is: <see cref="Queued"/> until a provider takes it.</summary>
public enum DeliveryStatus
{
    Queued,
    Sent,
    Delivered,
    Failed,
}

/// <summary>The one spelling of a <see cref="DeliveryStatus"/> in the status row's column, the API and the logs.</summary>
public static class DeliveryStatusNames
{
    public static string ToWire(this DeliveryStatus status) => status switch
    {
        DeliveryStatus.Queued => "queued",
        DeliveryStatus.Sent => "sent",
        DeliveryStatus.Delivered => "delivered",
        DeliveryStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>A status row without a status (or with one this code never writes) reads as queued.</summary>
    public static DeliveryStatus Parse(string? name) => name switch
    {
        "sent" => DeliveryStatus.Sent,
        "delivered" => DeliveryStatus.Delivered,
        "failed" => DeliveryStatus.Failed,
        _ => DeliveryStatus.Queued,
    };
}
