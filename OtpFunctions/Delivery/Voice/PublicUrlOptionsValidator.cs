using OtpFunctions.Configuration;

namespace OtpFunctions.Delivery.Voice;

/// <summary>Voice calls need a public base URL for their callbacks: required once voice goes through ACS.</summary>
public sealed class PublicUrlOptionsValidator(IOptions<DeliveryOptions> delivery) : IValidateOptions<PublicUrlOptions>
{
    public ValidateOptionsResult Validate(string? name, PublicUrlOptions options)
    {
        var failures = new List<string>();
        var voiceAcs = string.Equals(delivery.Value.Voice.Provider?.Trim(), DeliveryProviderNames.Acs, StringComparison.OrdinalIgnoreCase);
        if (voiceAcs && string.IsNullOrWhiteSpace(options.PublicBaseUrl))
        {
            failures.Add("Otp:PublicBaseUrl is required with Otp:Delivery:Voice:Provider=Acs: ACS calls back there (https://<app>.azurewebsites.net)");
        }
        else if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl) && !PublicUrlOptions.IsAcceptable(options.PublicBaseUrl))
        {
            failures.Add("Otp:PublicBaseUrl must be an absolute https URL (http only on loopback)");
        }

        return SettingRules.Verdict(failures);
    }
}
