namespace OtpFunctions.Challenges;

/// <summary>Where a code's message is, and what the provider last said about it.</summary>
public sealed record DeliveryState(DeliveryStatus Status, DateTimeOffset UpdatedAt, string? Error, string? ProviderMessageId, int Attempts)
{
    /// <summary>The channel carrying the current try: null until a fallback or channel switch moves it off the challenge's own.</summary>
    public Channel? Channel { get; init; }

    /// <summary>The tries on earlier channels, oldest first: each ended in failure, so the next channel took over.</summary>
    public IReadOnlyList<ChannelAttempt> Earlier { get; init; } = [];

    /// <summary>
    /// The sealed queue message (code and number AES-GCM encrypted, bound to the challenge and code version), kept
    /// while another channel may still need it (a fallback, a voice call's connection); null otherwise.
    /// </summary>
    public string? Envelope { get; init; }

    public static DeliveryState NewlyQueued(DateTimeOffset now) => new(DeliveryStatus.Queued, now, null, null, 0);

    /// <summary>A provider took the message, or it was given up on: the queue function must not send it again.</summary>
    public bool IsSettled => Status is DeliveryStatus.Sent or DeliveryStatus.Delivered or DeliveryStatus.Failed;

    /// <summary>What api.md shows as <c>delivery.attempts</c>: the earlier channels' tries, then the current one once it was made.</summary>
    public IReadOnlyList<ChannelAttempt> AttemptsOn(Channel challengeChannel) =>
        Status == DeliveryStatus.Queued && Attempts == 0
            ? Earlier
            : [.. Earlier, new ChannelAttempt(Channel ?? challengeChannel, Status, UpdatedAt, Error)];
}

/// <summary>One channel's try at delivering a code: how it ended (or stands) and when.</summary>
public sealed record ChannelAttempt(Channel Channel, DeliveryStatus Status, DateTimeOffset At, string? Error);
