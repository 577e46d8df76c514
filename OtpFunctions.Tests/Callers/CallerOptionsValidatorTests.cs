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
}
