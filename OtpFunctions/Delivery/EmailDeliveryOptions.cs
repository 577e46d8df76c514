using OtpFunctions.Delivery.Smtp;

namespace OtpFunctions.Delivery;

public sealed class EmailDeliveryOptions
{
    /// <summary><c>Acs</c>, <c>Smtp</c>, <c>None</c> (not configured yet) or <c>Log</c>; unset means <c>Log</c> in Development.</summary>
    public string? Provider { get; set; }

    public string? ConnectionString { get; set; }

    public string? Endpoint { get; set; }

    /// <summary>Sender address: a verified ACS domain address, or any mailbox (<c>Name &lt;a@b&gt;</c>) for SMTP.</summary>
    public string? From { get; set; }

    public SmtpSettings Smtp { get; set; } = new();
}
