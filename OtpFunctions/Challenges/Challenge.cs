using Azure;
using OtpFunctions.Delivery;

namespace OtpFunctions.Challenges;

public enum ChallengeState
{
    Pending,
    Approved,
    Locked,
    Canceled,
}

/// <summary>Where a code's message is, and what the provider last said about it.</summary>
public sealed record DeliveryState(DeliveryStatus Status, DateTimeOffset UpdatedAt, string? Error, string? ProviderMessageId, int Attempts)
{
    public static DeliveryState NewlyQueued(DateTimeOffset now) => new(DeliveryStatus.Queued, now, null, null, 0);

    /// <summary>A provider took the message, or it was given up on: the queue function must not send it again.</summary>
    public bool IsSettled => Status is DeliveryStatus.Sent or DeliveryStatus.Delivered or DeliveryStatus.Failed;
}

/// <summary>One code sent to one destination, as stored: the code only as its keyed hash.</summary>
public sealed record Challenge
{
    public required ChallengeId Id { get; init; }

    public required Channel Channel { get; init; }

    public required string Purpose { get; init; }

    public required string Locale { get; init; }

    public required string MaskedTo { get; init; }

    /// <summary>For SMS, the destination's country calling code: resends spend that country's budget too.</summary>
    public int? CallingCode { get; init; }

    /// <summary>The destination, AES-GCM encrypted and bound to this challenge: a resend must reach it again.</summary>
    public required string SealedTo { get; init; }

    public required string CodeHash { get; init; }

    /// <summary>Bumped by every resend, so a queued message for an older code is recognised as stale.</summary>
    public required int CodeVersion { get; init; }

    /// <summary>Identifies this code's delivery to the provider (ACS repeatability), stable across retries.</summary>
    public required Guid OperationId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset LastSentAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public required ChallengeState State { get; init; }

    public string? SupersededBy { get; init; }

    public required int FailedAttempts { get; init; }

    /// <summary>
    /// Kept in a row of its own ("d-…") so the queue function's writes never race a verify for the
    /// challenge row's ETag; null when the delivery row was not read.
    /// </summary>
    public DeliveryState? Delivery { get; init; }

    public DateTimeOffset? VerifiedAt { get; init; }

    /// <summary>
    /// A code someone else generated and checks (Entra External ID's email codes): this service only delivers it,
    /// so the challenge answers no verify, resend, status or cancel request.
    /// </summary>
    public bool Relayed { get; init; }

    public ETag ETag { get; init; }

    /// <summary>A code stops working when it is superseded or its lifetime ends, even if its row lives on.</summary>
    public bool IsExpired(DateTimeOffset now) => SupersededBy is not null || now >= ExpiresAt;

    /// <summary>The status api.md shows.</summary>
    public string PublicStatus(DateTimeOffset now) => State switch
    {
        ChallengeState.Approved => "approved",
        ChallengeState.Locked => "locked",
        ChallengeState.Canceled => "canceled",
        _ => IsExpired(now) ? "expired" : "pending",
    };
}

/// <summary>The send window of one destination and the pending challenge per purpose.</summary>
public sealed record DestinationLimit(string PartitionKey, RateWindow Window, IReadOnlyDictionary<string, PendingChallenge> Pending, ETag ETag)
{
    /// <summary>Wrong codes for this destination across its challenges since the last correct one (NIST SP 800-63B 5.2.2).</summary>
    public RateWindow Failures { get; init; } = RateWindow.Empty;

    public bool Exists => ETag != default;
}

public sealed record PendingChallenge(string ChallengeId, DateTimeOffset ExpiresAt);

/// <summary>A fixed window counter: <see cref="Count"/> sends since <see cref="Start"/>.</summary>
public sealed record RateWindow(DateTimeOffset Start, int Count)
{
    public static readonly RateWindow Empty = new(DateTimeOffset.MinValue, 0);

    public RateWindow Current(DateTimeOffset now, TimeSpan length) => now >= End(length) ? new RateWindow(now, 0) : this;

    public DateTimeOffset End(TimeSpan length) => Start == DateTimeOffset.MinValue ? DateTimeOffset.MinValue : Start + length;

    public RateWindow Add() => this with { Count = Count + 1 };
}
