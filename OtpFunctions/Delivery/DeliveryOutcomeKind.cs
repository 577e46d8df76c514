namespace OtpFunctions.Delivery;

public enum DeliveryOutcomeKind
{
    /// <summary>The provider accepted the message.</summary>
    Sent,

    /// <summary>Worth retrying later (429, 5xx, timeouts).</summary>
    Transient,

    /// <summary>Will never succeed (invalid number, other 4xx).</summary>
    Permanent,
}
