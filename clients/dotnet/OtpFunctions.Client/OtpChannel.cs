namespace OtpFunctions.Client;

/// <summary>The values of the <c>channel</c> field: where a code travels.</summary>
public static class OtpChannel
{
    /// <summary>A text message to an E.164 phone number.</summary>
    public const string Sms = "sms";

    /// <summary>A WhatsApp authentication message to an E.164 phone number.</summary>
    public const string WhatsApp = "whatsapp";

    /// <summary>A phone call that reads the code out.</summary>
    public const string Voice = "voice";

    /// <summary>An email to an address.</summary>
    public const string Email = "email";
}
