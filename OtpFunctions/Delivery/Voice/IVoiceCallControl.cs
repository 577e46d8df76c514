namespace OtpFunctions.Delivery.Voice;

/// <summary>What a voice provider does once its call is under way: read the text out, then hang up.</summary>
public interface IVoiceCallControl
{
    Task<DeliveryOutcome> PlayAsync(string callConnectionId, string text, string locale, CancellationToken cancellationToken);

    Task HangUpAsync(string callConnectionId, CancellationToken cancellationToken);
}
