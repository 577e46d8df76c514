using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MimeKit;
using OtpFunctions.Configuration;
using OtpFunctions.Delivery.Acs;
using OtpFunctions.Delivery.Smtp;

namespace OtpFunctions.Delivery;

/// <summary>Provider names accepted in <c>Otp:Delivery:{Sms|Email}:Provider</c>.</summary>
public static class DeliveryProviderNames
{
    public const string Acs = "Acs";
    public const string Smtp = "Smtp";
    public const string Log = "Log";

    /// <summary>The channel is deployed but not configured yet (an SMS number is bought after the ACS resource exists).</summary>
    public const string None = "None";

    public static bool IsNone(string? configured) => string.Equals(configured?.Trim(), None, StringComparison.OrdinalIgnoreCase);
}

/// <summary><c>Otp:Delivery</c>: which provider carries each channel, and its settings.</summary>
public sealed class DeliveryOptions
{
    public const string Section = SettingNames.Delivery;

    public SmsDeliveryOptions Sms { get; set; } = new();

    public EmailDeliveryOptions Email { get; set; } = new();
}

public sealed class SmsDeliveryOptions
{
    /// <summary><c>Acs</c>, <c>None</c> (not configured yet) or <c>Log</c>; unset means <c>Log</c> in Development.</summary>
    public string? Provider { get; set; }

    /// <summary><c>endpoint=https://…;accesskey=…</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Used alone, authenticates with a managed identity instead of the access key.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The ACS sender number (E.164).</summary>
    public string? From { get; set; }
}

public sealed class EmailDeliveryOptions
{
    /// <summary><c>Acs</c>, <c>Smtp</c>, <c>None</c> (not configured yet) or <c>Log</c>; unset means <c>Log</c> in Development.</summary>
    public string? Provider { get; set; }

    public string? ConnectionString { get; set; }

    public string? Endpoint { get; set; }

    /// <summary>Sender address: a verified ACS domain address, or any mailbox (<c>Name &lt;a@b&gt;</c>) for SMTP.</summary>
    public string? From { get; set; }

    public SmtpSettings Smtp { get; set; } = new();
}

/// <summary>Fills in the Development default provider.</summary>
public sealed class DeliveryOptionsDefaults(IHostEnvironment environment) : IPostConfigureOptions<DeliveryOptions>
{
    public void PostConfigure(string? name, DeliveryOptions options)
    {
        if (environment.IsDevelopment())
        {
            options.Sms.Provider = string.IsNullOrWhiteSpace(options.Sms.Provider) ? DeliveryProviderNames.Log : options.Sms.Provider.Trim();
            options.Email.Provider = string.IsNullOrWhiteSpace(options.Email.Provider) ? DeliveryProviderNames.Log : options.Email.Provider.Trim();
        }
    }
}

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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
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
