using Microsoft.Extensions.Options;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Callers;

/// <summary>Bad caller configuration stops start-up with a message naming the key, never echoing a secret.</summary>
public sealed class CallerOptionsValidatorTests
{
    [Theory]
    [InlineData("Otp:ApiKeys:backend:Sha256", "the-raw-key-not-a-hash", "Otp:ApiKeys:backend:Sha256")]
    [InlineData("Otp:ApiKeys:backend:Sha256", "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08", "Otp:ApiKeys:backend:Sha256")]
    [InlineData("Otp:ApiKeys:backend:MaxSends", "0", "Otp:ApiKeys:backend:MaxSends")]
    [InlineData("Otp:ApiKeys:backend:MaxSends", "many", "Otp:ApiKeys:backend")]
    [InlineData("Otp:ApiKeys:backend:MaxSends", "99999999999", "Otp:ApiKeys:backend")]
    [InlineData("Otp:AllowedPurposes", "login,Sign Up", "Otp:AllowedPurposes")]
    [InlineData("Otp:BotCheck:Provider", "Turnstile", "Otp:BotCheck:Secret")]
    [InlineData("Otp:BotCheck:MinScore", "1.5", "Otp:BotCheck:MinScore")]
    [InlineData("Otp:BotCheck:Provider", "HCaptcha", "Otp:BotCheck:SiteKey")]
    [InlineData("Otp:BotCheck:Hostnames", "app.example.com,https://app.example.com", "Otp:BotCheck:Hostnames holds 'https://app.example.com'")]
    [InlineData("Otp:BotCheck:Hostnames", "app.example.com:443", "Otp:BotCheck:Hostnames holds 'app.example.com:443'")]
    [InlineData("Otp:BotCheck:Hostnames", "*", "Otp:BotCheck:Hostnames holds '*'")]
    public async Task FailsToStartGivenInvalidCallerOption(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Otp:ApiKeys:backend:Sha256"] = ServerCallerTests.Sha256Hex("k"),
            [key] = value,
        };

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => OtpHost.StartAsync(settings));

        Assert.Contains(named, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("the-raw-key-not-a-hash", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://challenges.example.com/siteverify")]
    [InlineData("http://localhost:8080/siteverify")]
    [InlineData("not a url")]
    public async Task FailsToStartGivenVerifyEndpointThatIsNotHttpsOrLoopback(string endpoint)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Otp:BotCheck:Provider"] = "HCaptcha",
            ["Otp:BotCheck:Secret"] = "secret-value-never-echoed",
            ["Otp:BotCheck:VerifyEndpoint"] = endpoint,
        };

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => OtpHost.StartAsync(settings));

        Assert.Contains("Otp:BotCheck:VerifyEndpoint", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value-never-echoed", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailsToStartOutsideDevelopmentGivenABotCheckWithoutHostnames()
    {
        var settings = ProductionWithTurnstile();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => OtpHost.StartAsync(settings, environment: "Production", captureDelivery: false));

        Assert.Contains("Otp:BotCheck:Hostnames is required with Otp:BotCheck:Provider Turnstile outside Development", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value-never-echoed", exception.Message, StringComparison.Ordinal);
        settings["Otp:BotCheck:Hostnames"] = "app.example.com,*.example.com";
        await using var started = await OtpHost.StartAsync(settings, environment: "Production", captureDelivery: false);
    }

    private static Dictionary<string, string?> ProductionWithTurnstile() => new()
    {
        ["Otp:Secrets:Pepper"] = Convert.ToBase64String(new byte[32]),
        ["Otp:Secrets:EncryptionKey"] = Convert.ToBase64String(new byte[32]),
        ["Otp:Secrets:SigningKey"] = Convert.ToBase64String(new byte[32]),
        ["Otp:Delivery:Sms:Provider"] = "None",
        ["Otp:Delivery:Email:Provider"] = "None",
        ["Otp:BotCheck:Provider"] = "Turnstile",
        ["Otp:BotCheck:Secret"] = "secret-value-never-echoed",
    };
}
