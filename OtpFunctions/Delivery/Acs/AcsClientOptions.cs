using Azure.Core;

namespace OtpFunctions.Delivery.Acs;

/// <summary>Pipeline settings for the ACS REST calls.</summary>
public sealed class AcsClientOptions : ClientOptions
{
    public AcsClientOptions()
    {
        // The delivery queue retries with backoff and honours Retry-After; retrying here as well
        // would multiply attempts and hide throttling from it.
        Retry.MaxRetries = 0;
        Retry.NetworkTimeout = TimeSpan.FromSeconds(15);
    }
}
