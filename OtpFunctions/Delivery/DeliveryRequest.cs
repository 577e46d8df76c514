namespace OtpFunctions.Delivery;

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
