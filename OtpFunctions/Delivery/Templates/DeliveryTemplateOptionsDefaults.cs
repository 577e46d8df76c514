using Microsoft.Extensions.Options;

namespace OtpFunctions.Delivery.Templates;

/// <summary>An empty <c>Otp:AppName</c> means the default name, as an unset one does.</summary>
public sealed class DeliveryTemplateOptionsDefaults : IPostConfigureOptions<DeliveryTemplateOptions>
{
    public void PostConfigure(string? name, DeliveryTemplateOptions options)
    {
        if (string.IsNullOrEmpty(options.AppName))
        {
            options.AppName = DeliveryTemplateOptions.DefaultAppName;
        }
    }
}
