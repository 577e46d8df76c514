namespace OtpFunctions.Delivery.Templates;

/// <summary>Which piece of a message a template renders.</summary>
public enum TemplatePart
{
    Subject,
    Text,
    Html,
}
