using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OtpFunctions.Configuration;

namespace OtpFunctions.Delivery.Templates;

/// <summary>Template settings: <c>Otp:Templates:Path</c> and <c>Otp:AppName</c>.</summary>
public sealed class DeliveryTemplateOptions : IOptionsDefaults
{
    /// <summary>Bound from <c>Otp</c>: the name sits at <c>Otp:AppName</c>, the rest under <c>Otp:Templates</c>.</summary>
    public const string Section = SettingNames.Otp;

    public const string DefaultAppName = "OTP";

    /// <summary>Folder of overrides laid out like the built-ins; empty for built-ins only.</summary>
    [ConfigurationKeyName(SettingNames.TemplatesPath)]
    public string? Path { get; set; }

    public string AppName { get; set; } = DefaultAppName;

    /// <summary>
    /// <c>Otp:Templates:CodeInSubject</c>: lets the built-in email subjects carry the code. Off by default:
    /// lock screens, notification previews and relay logs show subjects to people who are not the recipient.
    /// </summary>
    [ConfigurationKeyName(SettingNames.TemplatesCodeInSubject)]
    public bool CodeInSubject { get; set; }

    /// <summary>An empty <c>Otp:AppName</c> means the default name, as an unset one does.</summary>
    public void ApplyDefaults(IHostEnvironment environment)
    {
        if (string.IsNullOrEmpty(AppName))
        {
            AppName = DefaultAppName;
        }
    }
}
