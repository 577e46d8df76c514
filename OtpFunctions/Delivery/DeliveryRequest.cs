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
    DateTimeOffset FirstSentAt)
{
    /// <summary>The code alone, for providers that bind it to a template (WhatsApp) rather than send the rendered text.</summary>
    public string Code { get; init; } = "";

    /// <summary>The challenge's language, for providers that choose a template language or a voice from it.</summary>
    public string Locale { get; init; } = "en";

    /// <summary>The code's version, which a voice call's signed callback URL names.</summary>
    public int CodeVersion { get; init; }
}
