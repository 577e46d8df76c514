using Microsoft.Extensions.Configuration;
using OtpFunctions.Configuration;

namespace OtpFunctions.Delivery.Voice;

/// <summary>
/// Voice calls need a public base URL for their callbacks: required once voice goes through ACS. The provider is read
/// from configuration, not from the delivery options: their own validation failing must not fail this one twice over.
/// </summary>
public sealed class PublicUrlOptionsValidator(IConfiguration configuration) : IValidateOptions<PublicUrlOptions>
{
    public ValidateOptionsResult Validate(string? name, PublicUrlOptions options)
    {
        var failures = new List<string>();
        var voiceAcs = string.Equals(configuration[$"{DeliveryOptions.Section}:Voice:Provider"]?.Trim(), DeliveryProviderNames.Acs, StringComparison.OrdinalIgnoreCase);
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
