using Microsoft.Extensions.Hosting;
using OtpFunctions.Configuration;
using OtpFunctions.Delivery;

namespace OtpFunctions.Startup;

/// <summary>
/// Budgets fail closed: outside Development, a host that can send phone codes refuses to start without a country
/// allow-list and a global phone budget (without them one attacker with many addresses can send to premium ranges
/// anywhere with no ceiling on the bill: SMS pumping), and a host that can send email refuses to start without a
/// global email budget (without it a few addresses use up the provider's quota and nobody's email code arrives).
/// </summary>
/// <remarks>
/// Binds the delivery options without validating them: resolving <c>IOptions&lt;DeliveryOptions&gt;</c> here
/// would run their checks inside this one and fold their failures into the limits' failures.
/// </remarks>
public sealed class BudgetsRequired(IHostEnvironment environment, IEnumerable<IConfigureOptions<DeliveryOptions>> deliveryBinding) : IValidateOptions<OtpOptions>
{
    public ValidateOptionsResult Validate(string? name, OtpOptions options) => SettingRules.Verdict(Problems(options));

    /// <summary>The start-up failures naming what is missing.</summary>
    public IEnumerable<string> Problems(OtpOptions options)
    {
        if (environment.IsDevelopment())
        {
            return [];
        }

        var delivery = new DeliveryOptions();
        foreach (var configure in deliveryBinding)
        {
            configure.Configure(delivery);
        }

        return new[] { PhoneProblem(options, delivery), EmailProblem(options, delivery) }.OfType<string>();
    }

    private static string? PhoneProblem(OtpOptions options, DeliveryOptions delivery)
    {
        var phone = new[] { ("Sms", delivery.Sms.Provider), ("WhatsApp", delivery.WhatsApp.Provider), ("Voice", delivery.Voice.Provider) }
            .FirstOrDefault(channel => Sending(channel.Item2) is not null);
        if (phone.Item2 is not { } provider)
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
            missing.Add($"Otp:MaxSendsGlobal (phone sends for the whole service per Otp:GlobalWindow, now {options.GlobalWindow:c}; about twice the expected peak)");
        }

        return missing.Count == 0
            ? null
            : $"A phone channel is enabled (Otp:Delivery:{phone.Item1}:Provider={provider.Trim()}) outside Development, so these must be set: {string.Join(" and ", missing)}. "
                + "Set the phone channels' Otp:Delivery:<channel>:Provider to None to run without them.";
    }

    private static string? EmailProblem(OtpOptions options, DeliveryOptions delivery) =>
        Sending(delivery.Email.Provider) is { } provider && options.Email.MaxSendsGlobal <= 0
            ? $"Email is enabled (Otp:Delivery:Email:Provider={provider}) outside Development, so Otp:Email:MaxSendsGlobal must be set "
                + $"(email sends for the whole service per Otp:Email:GlobalWindow, now {options.Email.GlobalWindow:c}; below your provider's quota, "
                + "100 per hour on an Azure-managed domain). Set Otp:Delivery:Email:Provider=None to run without email."
            : null;

    /// <summary>The provider when it really sends. Unset is reported by the delivery options' own check; None and Log send nothing.</summary>
    private static string? Sending(string? configured)
    {
        var provider = configured?.Trim();
        return string.IsNullOrEmpty(provider)
            || DeliveryProviderNames.IsNone(provider)
            || string.Equals(provider, DeliveryProviderNames.Log, StringComparison.OrdinalIgnoreCase)
            ? null
            : provider;
    }
}
