namespace OtpFunctions.Challenges;

/// <summary>Where a code's message is, and what the provider last said about it.</summary>
public sealed record DeliveryState(DeliveryStatus Status, DateTimeOffset UpdatedAt, string? Error, string? ProviderMessageId, int Attempts)
{
    public static DeliveryState NewlyQueued(DateTimeOffset now) => new(DeliveryStatus.Queued, now, null, null, 0);

    /// <summary>A provider took the message, or it was given up on: the queue function must not send it again.</summary>
    public bool IsSettled => Status is DeliveryStatus.Sent or DeliveryStatus.Delivered or DeliveryStatus.Failed;
}
