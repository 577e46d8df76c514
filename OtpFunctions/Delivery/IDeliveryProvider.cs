namespace OtpFunctions.Delivery;

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
