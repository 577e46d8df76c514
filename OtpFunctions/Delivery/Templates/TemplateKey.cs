namespace OtpFunctions.Delivery.Templates;

public sealed record TemplateKey(Channel Channel, string Locale, string Purpose, TemplatePart Part);
