namespace OtpFunctions.Delivery;

/// <summary><c>Otp:Delivery:WhatsApp</c>: ACS Advanced Messaging and the approved authentication template.</summary>
public sealed class WhatsAppDeliveryOptions
{
    public const string DefaultTemplateName = "otp_code";
    public const string DefaultTemplateLanguages = "en:en_US,es:es,fr:fr";

    /// <summary><c>Acs</c>, <c>Log</c> (Development) or <c>None</c>: unset is <c>None</c>, since WhatsApp needs a registered business account first.</summary>
    public string? Provider { get; set; }

    public string? ConnectionString { get; set; }

    /// <summary>Used alone, authenticates with a managed identity instead of the access key.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The WhatsApp channel's registration id (a GUID ACS shows once the business account is connected).</summary>
    public string? ChannelRegistrationId { get; set; }

    /// <summary>The approved authentication template, whose body and copy-code button take the code.</summary>
    public string TemplateName { get; set; } = DefaultTemplateName;

    /// <summary>Our language → the template's language code, <c>en:en_US,es:es,fr:fr</c>; the first entry serves any other language.</summary>
    public string TemplateLanguages { get; set; } = DefaultTemplateLanguages;
}
