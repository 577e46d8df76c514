using Azure;

namespace OtpFunctions.Challenges;

/// <summary>One code sent to one destination, as stored: the code only as its keyed hash.</summary>
public sealed record Challenge
{
    public required ChallengeId Id { get; init; }

    public required Channel Channel { get; init; }

    /// <summary>The phone channels tried, in order, after delivery on <see cref="Channel"/> finally fails; empty for none.</summary>
    public IReadOnlyList<Channel> Fallback { get; init; } = [];

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

    /// <summary>
    /// The template this code is written in when its purpose alone does not say (a Supabase email's action:
    /// <c>supabase-signup</c>, <c>supabase-recovery</c>, …); null for the purpose's own template.
    /// </summary>
    public string? Template { get; init; }

    public ETag ETag { get; init; }

    /// <summary>The channel the current code's message goes on: a fallback moves it off <see cref="Channel"/>.</summary>
    public Channel DeliveryChannel => Delivery?.Channel ?? Channel;

    /// <summary>The channel after <paramref name="current"/> in this challenge's order (its channel, then its fallback), if any.</summary>
    public Channel? ChannelAfter(Channel current)
    {
        var order = Fallback.Prepend(Channel).ToList();
        var index = order.IndexOf(current);
        return index >= 0 && index + 1 < order.Count ? order[index + 1] : null;
    }

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

/// <summary>Where a challenge is in its life; <see cref="Challenge.PublicStatus"/> adds "expired" from the clock.</summary>
public enum ChallengeState
{
    Pending,
    Approved,
    Locked,
    Canceled,
}
