namespace OtpFunctions.Delivery;

public sealed class SmsDeliveryOptions
{
    /// <summary><c>Acs</c>, <c>None</c> (not configured yet) or <c>Log</c>; unset means <c>Log</c> in Development.</summary>
    public string? Provider { get; set; }

    /// <summary><c>endpoint=https://…;accesskey=…</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Used alone, authenticates with a managed identity instead of the access key.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The ACS sender number (E.164).</summary>
    public string? From { get; set; }
}
