namespace OtpFunctions.Delivery;

/// <summary><c>Otp:Delivery:Voice</c>: ACS Call Automation and the number the call comes from.</summary>
public sealed class VoiceDeliveryOptions
{
    /// <summary><c>Acs</c>, <c>Log</c> (Development) or <c>None</c>: unset is <c>None</c>, since calls need a number with calling capability first.</summary>
    public string? Provider { get; set; }

    public string? ConnectionString { get; set; }

    /// <summary>Used alone, authenticates with a managed identity instead of the access key.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The caller id (E.164): an ACS number with calling capability.</summary>
    public string? From { get; set; }

    /// <summary>The Azure AI services resource connected to ACS, whose text-to-speech reads the code out.</summary>
    public string? CognitiveServicesEndpoint { get; set; }
}
