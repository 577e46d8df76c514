namespace OtpFunctions.Delivery;

/// <summary>The two ways a code can travel.</summary>
public enum Channel
{
    Sms,
    Email,
}

/// <summary>A rendered message ready for a provider: SMS uses <see cref="Text"/> only.</summary>
public sealed record RenderedMessage(string? Subject, string Text, string? Html);

/// <summary>
/// One delivery attempt. <see cref="OperationId"/> and <see cref="FirstSentAt"/> are generated once per
/// code and carried in the queue message, so a redelivered message is recognised by the provider
/// (ACS repeatability headers, email Operation-Id) and never sends twice.
/// </summary>
public sealed record DeliveryRequest(
    string ChallengeId,
    Channel Channel,
    string To,
    string MaskedTo,
    RenderedMessage Message,
    Guid OperationId,
    DateTimeOffset FirstSentAt);

public enum DeliveryOutcomeKind
{
    /// <summary>The provider accepted the message.</summary>
    Sent,

    /// <summary>Worth retrying later (429, 5xx, timeouts).</summary>
    Transient,

    /// <summary>Will never succeed (invalid number, other 4xx).</summary>
    Permanent,
}

/// <summary>What a provider said about one request.</summary>
public sealed record DeliveryOutcome(DeliveryOutcomeKind Kind, string? ProviderMessageId, string? Error, TimeSpan? RetryAfter)
{
    public static DeliveryOutcome Sent(string? providerMessageId) => new(DeliveryOutcomeKind.Sent, providerMessageId, null, null);

    public static DeliveryOutcome Transient(string error, TimeSpan? retryAfter = null) => new(DeliveryOutcomeKind.Transient, null, error, retryAfter);

    public static DeliveryOutcome Permanent(string error) => new(DeliveryOutcomeKind.Permanent, null, error, null);
}

/// <summary>
/// The one seam between the service and whatever carries messages (ACS SMS, ACS Email, SMTP, the log).
/// An official SDK replaces a provider by implementing this interface in one class.
/// </summary>
public interface IDeliveryProvider
{
    /// <summary>Short name for logs and metrics, e.g. "acs-sms".</summary>
    string Name { get; }

    Task<DeliveryOutcome> SendAsync(DeliveryRequest request, CancellationToken cancellationToken);
}
