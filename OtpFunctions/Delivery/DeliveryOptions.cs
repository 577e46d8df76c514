using Microsoft.Extensions.Hosting;
using OtpFunctions.Configuration;

namespace OtpFunctions.Delivery;

/// <summary><c>Otp:Delivery</c>: which provider carries each channel, and its settings.</summary>
public sealed class DeliveryOptions : IOptionsDefaults
{
    public const string Section = SettingNames.Delivery;

    public SmsDeliveryOptions Sms { get; set; } = new();

    public EmailDeliveryOptions Email { get; set; } = new();

    public WhatsAppDeliveryOptions WhatsApp { get; set; } = new();

    public VoiceDeliveryOptions Voice { get; set; } = new();

    /// <summary>The provider named for a channel, as configured (null when unset).</summary>
    public string? ProviderOf(Channel channel) => channel switch
    {
        Channel.Sms => Sms.Provider,
        Channel.WhatsApp => WhatsApp.Provider,
        Channel.Voice => Voice.Provider,
        _ => Email.Provider,
    };

    /// <summary>
    /// Development logs codes when no SMS or email provider is named. WhatsApp and voice stay <c>None</c> until named,
    /// everywhere: api.md's default, since each needs an account or number bought first.
    /// </summary>
    public void ApplyDefaults(IHostEnvironment environment)
    {
        if (environment.IsDevelopment())
        {
            Sms.Provider = string.IsNullOrWhiteSpace(Sms.Provider) ? DeliveryProviderNames.Log : Sms.Provider.Trim();
            Email.Provider = string.IsNullOrWhiteSpace(Email.Provider) ? DeliveryProviderNames.Log : Email.Provider.Trim();
        }

        WhatsApp.Provider = string.IsNullOrWhiteSpace(WhatsApp.Provider) ? DeliveryProviderNames.None : WhatsApp.Provider.Trim();
        Voice.Provider = string.IsNullOrWhiteSpace(Voice.Provider) ? DeliveryProviderNames.None : Voice.Provider.Trim();
    }
}
