using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using OtpFunctions.Tests.Support;
using OtpFunctions.Webhooks;

namespace OtpFunctions.Tests.Webhooks;

/// <summary>
/// The webhook trigger reads %OTP_WEBHOOK_QUEUE% with no default under func start and in Azure: endpoints without the
/// setting would queue webhooks that no function sends, so start-up refuses them.
/// </summary>
public sealed class WebhookOptionsValidatorTests
{
    private static readonly Dictionary<string, string?> Endpoint = new()
    {
        ["Otp:Webhooks:backend:Url"] = "https://app.example.com/hooks/otp",
        ["Otp:Webhooks:backend:Secret"] = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Otp:Webhooks:backend:Events"] = "verification.approved",
    };

    [Fact]
    public void RefusesEndpointsWithoutTheQueueSettingTheTriggerReads()
    {
        var result = Validate(Endpoint);

        Assert.True(result.Failed);
        Assert.Contains("OTP_WEBHOOK_QUEUE must be set when Otp:Webhooks has endpoints", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptsEndpointsWithTheQueueSettingAndNoEndpointsWithout()
    {
        Assert.True(Validate(new(Endpoint) { ["OTP_WEBHOOK_QUEUE"] = "otp-webhooks" }).Succeeded);
        Assert.True(Validate([]).Succeeded);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = configuration.Get<WebhookOptions>() ?? new WebhookOptions();
        options.ApplyDefaults(TestEnvironments.Named(Microsoft.Extensions.Hosting.Environments.Production));
        return new WebhookOptionsValidator(configuration).Validate(null, options);
    }
}
