namespace OtpFunctions.Delivery;

/// <summary>Provider names accepted in <c>Otp:Delivery:{Sms|Email}:Provider</c>.</summary>
public static class DeliveryProviderNames
{
    public const string Acs = "Acs";
    public const string Smtp = "Smtp";
    public const string Log = "Log";

    /// <summary>The channel is deployed but not configured yet (an SMS number is bought after the ACS resource exists).</summary>
    public const string None = "None";

    public static bool IsNone(string? configured) => string.Equals(configured?.Trim(), None, StringComparison.OrdinalIgnoreCase);
}
