namespace OtpFunctions.Delivery;

/// <summary>The two ways a code can travel.</summary>
public enum Channel
{
    Sms,
    Email,
}
