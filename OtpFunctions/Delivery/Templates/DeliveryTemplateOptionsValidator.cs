namespace OtpFunctions.Delivery.Templates;

/// <summary>Parses every built-in and override template at start-up, naming each file that fails.</summary>
public sealed class DeliveryTemplateOptionsValidator : IValidateOptions<DeliveryTemplateOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryTemplateOptions options) =>
        TemplateCatalog.TryLoad(options.Path, out _, out var errors)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors);
}
