using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OtpFunctions.Delivery;

namespace OtpFunctions.Configuration;

/// <summary>
/// SMS budgets fail closed: outside Development, a host that can send SMS refuses to start without a
/// country allow-list and a global SMS budget. Without them, one attacker with many addresses can send
/// to premium ranges anywhere with no ceiling on the bill (SMS pumping).
/// </summary>
/// <remarks>
/// Reads the provider from configuration, not <c>IOptions&lt;DeliveryOptions&gt;</c>: resolving those here would
/// validate them inside this check and fold their failures into this one's.
/// </remarks>
public sealed class SmsBudgetsRequired(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<OtpOptions>
{
    public ValidateOptionsResult Validate(string? name, OtpOptions options)
    {
        var provider = configuration[DeliveryOptions.SectionName + ":Sms:Provider"]?.Trim();
        if (environment.IsDevelopment() || !SendsSms(provider))
        {
            return ValidateOptionsResult.Success;
        }

        var missing = new List<string>(2);
        if (options.Sms.AllowedCountryCodes.Length == 0)
        {
            missing.Add("Otp:Sms:AllowedCountryCodes (the calling codes you serve, such as 1,44)");
        }

        if (options.MaxSendsGlobal <= 0)
        {
            missing.Add($"Otp:MaxSendsGlobal (SMS for the whole service per Otp:GlobalWindow, now {options.GlobalWindow:c}; about twice the expected peak)");
        }

        return missing.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"SMS is enabled (Otp:Delivery:Sms:Provider={provider}) outside Development, so these must be set: {string.Join(" and ", missing)}. Set Otp:Delivery:Sms:Provider=None to run without SMS.");
    }

    /// <summary>Unset is reported by the delivery options' own check; None and Log send nothing that costs money.</summary>
    private static bool SendsSms(string? provider) =>
        !string.IsNullOrEmpty(provider)
        && !DeliveryProviderNames.IsNone(provider)
        && !string.Equals(provider, DeliveryProviderNames.Log, StringComparison.OrdinalIgnoreCase);
}
