using OtpFunctions.Configuration;

namespace OtpFunctions.Entra;

/// <summary>Half a configuration is refused at start-up: a route that is on must know whom to trust.</summary>
public sealed class EntraOptionsValidator : IValidateOptions<EntraOptions>
{
    public ValidateOptionsResult Validate(string? name, EntraOptions options)
    {
        if (!options.Enabled)
        {
            return string.IsNullOrWhiteSpace(options.AuthorizedParty)
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail("Otp:Entra:AuthorizedParty is set but Otp:Entra:Authority and Otp:Entra:Audience are not: set all of them, or none.");
        }

        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Authority))
        {
            failures.Add("Otp:Entra:Authority is required when Otp:Entra:Audience is set.");
        }
        else if (!EntraOptions.IsAllowedAuthority(options.Authority))
        {
            failures.Add("Otp:Entra:Authority must be an https URL (or http://127.0.0.1:… for a local fake), e.g. https://contoso.ciamlogin.com/<tenant id>/v2.0.");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add("Otp:Entra:Audience (the custom extension's app id) is required when Otp:Entra:Authority is set.");
        }

        return SettingRules.Verdict(failures);
    }
}
