using Microsoft.Extensions.Hosting;
using OtpFunctions.Delivery;

namespace OtpFunctions.Configuration;

/// <summary>
/// SMS budgets fail closed: outside Development, a host that can send SMS refuses to start without a
/// country allow-list and a global SMS budget. Without them, one attacker with many addresses can send
/// to premium ranges anywhere with no ceiling on the bill (SMS pumping).
/// </summary>
/// <remarks>
/// Binds the delivery options without validating them: resolving <c>IOptions&lt;DeliveryOptions&gt;</c> here
/// would run their checks inside this one and fold their failures into the limits' failures.
/// </remarks>
public sealed class SmsBudgetsRequired(IHostEnvironment environment, IEnumerable<IConfigureOptions<DeliveryOptions>> deliveryBinding)
{
    /// <summary>The start-up failure naming what is missing, or null.</summary>
    public string? Problem(OtpOptions options)
    {
        if (environment.IsDevelopment() || ConfiguredSmsProvider() is not { } provider)
        {
            return null;
        }

        var missing = new List<string>(2);
        if (options.Sms.AllowedCountryCodes.Count == 0)
        {
            missing.Add("Otp:Sms:AllowedCountryCodes (the calling codes you serve, such as 1,44)");
        }

        if (options.MaxSendsGlobal <= 0)
        {
            missing.Add($"Otp:MaxSendsGlobal (SMS for the whole service per Otp:GlobalWindow, now {options.GlobalWindow:c}; about twice the expected peak)");
        }

        return missing.Count == 0
            ? null
            : $"SMS is enabled (Otp:Delivery:Sms:Provider={provider}) outside Development, so these must be set: {string.Join(" and ", missing)}. Set Otp:Delivery:Sms:Provider=None to run without SMS.";
    }

    /// <summary>The provider when it sends SMS that cost money. Unset is reported by the delivery options' own check; None and Log send nothing.</summary>
    private string? ConfiguredSmsProvider()
    {
        var delivery = new DeliveryOptions();
        foreach (var configure in deliveryBinding)
        {
            configure.Configure(delivery);
        }

        var provider = delivery.Sms.Provider?.Trim();
        return string.IsNullOrEmpty(provider)
            || DeliveryProviderNames.IsNone(provider)
            || string.Equals(provider, DeliveryProviderNames.Log, StringComparison.OrdinalIgnoreCase)
            ? null
            : provider;
    }
}
