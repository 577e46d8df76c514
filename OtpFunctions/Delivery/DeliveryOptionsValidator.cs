using Microsoft.Extensions.Hosting;
using MimeKit;
using OtpFunctions.Configuration;
using OtpFunctions.Delivery.Acs;

namespace OtpFunctions.Delivery;

/// <summary>Start-up checks with messages that name the key to fix; never echoes a secret.</summary>
public sealed class DeliveryOptionsValidator(IHostEnvironment environment) : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        var failures = new List<string>();
        const string sms = DeliveryOptions.Section + ":Sms";
        const string email = DeliveryOptions.Section + ":Email";

        switch (Provider(sms, options.Sms.Provider, [DeliveryProviderNames.Acs, DeliveryProviderNames.None, DeliveryProviderNames.Log], failures))
        {
            case DeliveryProviderNames.Acs:
                ValidateAcs(sms, options.Sms.ConnectionString, options.Sms.Endpoint, options.Sms.From, failures);
                break;
        }

        switch (Provider(email, options.Email.Provider, [DeliveryProviderNames.Acs, DeliveryProviderNames.Smtp, DeliveryProviderNames.None, DeliveryProviderNames.Log], failures))
        {
            case DeliveryProviderNames.Acs:
                ValidateAcs(email, options.Email.ConnectionString, options.Email.Endpoint, options.Email.From, failures);
                break;
            case DeliveryProviderNames.Smtp:
                ValidateSmtp(email, options.Email, failures);
                if (!environment.IsDevelopment() && !options.Email.Smtp.UseTls && !Smtp.SmtpSettings.IsLoopback(options.Email.Smtp.Host))
                {
                    failures.Add($"{email}:Smtp:UseTls must be true outside Development unless {email}:Smtp:Host is loopback: codes and credentials would cross the network in clear");
                }

                break;
        }

        ValidatePhoneChannels(options, failures);
        return SettingRules.Verdict(failures);
    }

    /// <summary>WhatsApp and voice: unset is None (ApplyDefaults), since each needs an account or a number bought first.</summary>
    private void ValidatePhoneChannels(DeliveryOptions options, List<string> failures)
    {
        if (Provider(DeliveryOptions.Section + ":WhatsApp", options.WhatsApp.Provider ?? DeliveryProviderNames.None, [DeliveryProviderNames.Acs, DeliveryProviderNames.None, DeliveryProviderNames.Log], failures) == DeliveryProviderNames.Acs)
        {
            ValidateWhatsApp(options.WhatsApp, failures);
        }

        if (Provider(DeliveryOptions.Section + ":Voice", options.Voice.Provider ?? DeliveryProviderNames.None, [DeliveryProviderNames.Acs, DeliveryProviderNames.None, DeliveryProviderNames.Log], failures) == DeliveryProviderNames.Acs)
        {
            ValidateAcs(DeliveryOptions.Section + ":Voice", options.Voice.ConnectionString, options.Voice.Endpoint, options.Voice.From, failures);
            if (!string.IsNullOrWhiteSpace(options.Voice.CognitiveServicesEndpoint) && !Uri.TryCreate(options.Voice.CognitiveServicesEndpoint, UriKind.Absolute, out _))
            {
                failures.Add($"{DeliveryOptions.Section}:Voice:CognitiveServicesEndpoint must be the Azure AI services resource's endpoint (https://<name>.cognitiveservices.azure.com/)");
            }
        }
    }

    /// <summary>The canonical provider name, or null after recording why there is none.</summary>
    private string? Provider(string section, string? configured, string[] allowed, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            failures.Add($"{section}:Provider is required outside Development ({string.Join(" or ", allowed.Where(a => a != DeliveryProviderNames.Log))})");
            return null;
        }

        var provider = allowed.FirstOrDefault(a => a.Equals(configured.Trim(), StringComparison.OrdinalIgnoreCase));
        if (provider is null)
        {
            failures.Add($"{section}:Provider must be {string.Join(", ", allowed)}, not '{configured}'");
            return null;
        }

        if (provider == DeliveryProviderNames.Log && !environment.IsDevelopment())
        {
            failures.Add($"{section}:Provider=Log is only allowed in Development");
            return null;
        }

        return provider;
    }

    private static void ValidateAcs(string section, string? connectionString, string? endpoint, string? from, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            if (!AcsConnectionString.TryParse(connectionString, out _, out var error))
            {
                failures.Add($"{section}:ConnectionString is invalid: {error}");
            }
        }
        else if (!string.IsNullOrWhiteSpace(endpoint))
        {
            if (!AcsConnectionString.TryParseEndpoint(endpoint, out _, out var error))
            {
                failures.Add($"{section}:Endpoint is invalid: {error}");
            }
        }
        else
        {
            failures.Add($"{section}:ConnectionString or {section}:Endpoint is required with Provider=Acs");
        }

        if (string.IsNullOrWhiteSpace(from))
        {
            failures.Add($"{section}:From is required with Provider=Acs");
        }
    }

    private static void ValidateWhatsApp(WhatsAppDeliveryOptions options, List<string> failures)
    {
        const string section = DeliveryOptions.Section + ":WhatsApp";
        ValidateAcs(section, options.ConnectionString, options.Endpoint, "unused", failures);
        if (!Guid.TryParse(options.ChannelRegistrationId, out _))
        {
            failures.Add($"{section}:ChannelRegistrationId must be the WhatsApp channel's registration id (a GUID) with Provider=Acs");
        }

        if (string.IsNullOrWhiteSpace(options.TemplateName))
        {
            failures.Add($"{section}:TemplateName must name the approved authentication template");
        }

        if (!Acs.WhatsAppTemplateLanguages.TryParse(options.TemplateLanguages, out _, out var error))
        {
            failures.Add($"{section}:TemplateLanguages {error}");
        }
    }

    private static void ValidateSmtp(string section, EmailDeliveryOptions options, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(options.Smtp.Host))
        {
            failures.Add($"{section}:Smtp:Host is required with Provider=Smtp");
        }

        if (options.Smtp.Port is < 1 or > 65535)
        {
            failures.Add($"{section}:Smtp:Port must be between 1 and 65535");
        }

        if (string.IsNullOrWhiteSpace(options.From))
        {
            failures.Add($"{section}:From is required with Provider=Smtp");
        }
        else if (!MailboxAddress.TryParse(options.From, out _))
        {
            failures.Add($"{section}:From is not a valid mailbox");
        }
    }
}
