using Microsoft.Extensions.Hosting;
using OtpFunctions.Configuration;

namespace OtpFunctions.Delivery;

/// <summary><c>Otp:Delivery</c>: which provider carries each channel, and its settings.</summary>
public sealed class DeliveryOptions : IOptionsDefaults
{
    public const string Section = SettingNames.Delivery;

    public SmsDeliveryOptions Sms { get; set; } = new();

    public EmailDeliveryOptions Email { get; set; } = new();

    /// <summary>Development logs codes when no provider is named.</summary>
    public void ApplyDefaults(IHostEnvironment environment)
    {
        if (environment.IsDevelopment())
        {
            Sms.Provider = string.IsNullOrWhiteSpace(Sms.Provider) ? DeliveryProviderNames.Log : Sms.Provider.Trim();
            Email.Provider = string.IsNullOrWhiteSpace(Email.Provider) ? DeliveryProviderNames.Log : Email.Provider.Trim();
        }
    }
}
