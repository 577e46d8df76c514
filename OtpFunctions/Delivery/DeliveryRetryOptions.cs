using OtpFunctions.Configuration;

namespace OtpFunctions.Delivery;

/// <summary>How often and how patiently a transient delivery failure is retried (<c>Otp:Delivery:Retry</c>).</summary>
public sealed class DeliveryRetryOptions
{
    public const string Section = SettingNames.DeliveryRetry;

    public int MaxAttempts { get; set; } = 5;

    /// <summary>First wait; doubled after each failure, capped at five minutes and at the code's expiry.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(5);
}
