using Microsoft.Extensions.Options;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Configuration;

/// <summary>Bad configuration stops the host before its first request, with a message naming the key.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Otp:CodeLength", "3", "CodeLength")]
    [InlineData("Otp:CodeLength", "11", "CodeLength")]
    [InlineData("Otp:MaxVerifyAttempts", "0", "MaxVerifyAttempts")]
    [InlineData("Otp:CodeLifetime", "00:00:01", "Otp:CodeLifetime")]
    [InlineData("Otp:TrustedProxies:0", "not-an-ip", "Otp:TrustedProxies")]
    [InlineData("Otp:Storage:Table", "bad-name!", "Otp:Storage:Table")]
    public async Task FailsToStartGivenInvalidOption(string key, string value, string named)
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => OtpHost.StartAsync(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(named, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Otp:Secrets:Pepper")]
    [InlineData("Otp:Secrets:EncryptionKey")]
    [InlineData("Otp:Secrets:SigningKey")]
    public async Task FailsToStartOutsideDevelopmentGivenMissingSecret(string missing)
    {
        var settings = ValidSecrets();
        settings.Remove(missing);

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => OtpHost.StartAsync(settings, environment: "Production"));

        Assert.Contains(missing, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NamesButNeverEchoesMalformedSecret()
    {
        var settings = ValidSecrets();
        settings["Otp:Secrets:EncryptionKey"] = Convert.ToBase64String(new byte[16]);

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => OtpHost.StartAsync(settings, environment: "Production"));

        Assert.Contains("Otp:Secrets:EncryptionKey must decode to exactly 32 bytes", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(settings["Otp:Secrets:EncryptionKey"]!, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailsToStartGivenPublicOnlyOrWrongCurveSigningKey()
    {
        using var p384 = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        using var p256 = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        foreach (var pem in new[] { p384.ExportPkcs8PrivateKeyPem(), p256.ExportSubjectPublicKeyInfoPem() })
        {
            var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => OtpHost.StartAsync(new Dictionary<string, string?> { ["Otp:Secrets:SigningKey"] = pem }));
            Assert.Contains("Otp:Secrets:SigningKey", exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task FailsToStartOutsideDevelopmentGivenSmtpPasswordWithoutTls()
    {
        var settings = ValidSecrets();
        settings["Otp:Delivery:Sms:Provider"] = "Acs";
        settings["Otp:Delivery:Sms:ConnectionString"] = "endpoint=https://example.communication.azure.com/;accesskey=" + Convert.ToBase64String(new byte[32]);
        settings["Otp:Delivery:Sms:From"] = "+18005550100";
        settings["Otp:Sms:AllowedCountryCodes"] = "1";
        settings["Otp:MaxSendsGlobal"] = "1000";
        settings["Otp:Delivery:Email:Provider"] = "Smtp";
        settings["Otp:Delivery:Email:From"] = "otp@example.com";
        settings["Otp:Delivery:Email:Smtp:Host"] = "smtp.example.com";
        settings["Otp:Delivery:Email:Smtp:Username"] = "otp";
        settings["Otp:Delivery:Email:Smtp:Password"] = "secret-password";
        settings["Otp:Email:MaxSendsGlobal"] = "90";

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => OtpHost.StartAsync(settings, environment: "Production", captureDelivery: false));

        Assert.Contains("UseTls must be true", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-password", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailsToStartOutsideDevelopmentGivenEmailWithoutAGlobalEmailBudget()
    {
        var settings = ValidSecrets();
        settings["Otp:Delivery:Sms:Provider"] = "None";
        settings["Otp:Delivery:Email:Provider"] = "Acs";
        settings["Otp:Delivery:Email:ConnectionString"] = "endpoint=https://example.communication.azure.com/;accesskey=" + Convert.ToBase64String(new byte[32]);
        settings["Otp:Delivery:Email:From"] = "otp@example.com";

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => OtpHost.StartAsync(settings, environment: "Production", captureDelivery: false));

        Assert.Contains("Otp:Email:MaxSendsGlobal must be set", exception.Message, StringComparison.Ordinal);

        // The positive control: the same settings with the budget start.
        settings["Otp:Email:MaxSendsGlobal"] = "90";
        await using var started = await OtpHost.StartAsync(settings, environment: "Production", captureDelivery: false);
    }

    [Theory]
    [InlineData("not a connection string")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=stotp;AccountKey=not*base64*secret;EndpointSuffix=core.windows.net")]
    [InlineData("AccountName=stotp;AccountKey=c2VjcmV0;TableEndpoint=::not a uri::")]
    public async Task NamesOtpStorageButNeverEchoesItGivenMalformedConnectionString(string connectionString)
    {
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => OtpHost.StartAsync(new Dictionary<string, string?> { ["OtpStorage"] = connectionString }));

        Assert.StartsWith("OtpStorage is not a valid storage connection string", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(connectionString, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("1,44", null)]
    [InlineData(null, "1000")]
    public async Task FailsToStartOutsideDevelopmentGivenSmsWithoutCountriesOrGlobalBudget(string? countries, string? globalBudget)
    {
        var settings = WithAcsSms(ValidSecrets());
        settings["Otp:Sms:AllowedCountryCodes"] = countries;
        settings["Otp:MaxSendsGlobal"] = globalBudget;

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => OtpHost.StartAsync(settings, environment: "Production", captureDelivery: false));

        Assert.Contains("A phone channel is enabled (Otp:Delivery:Sms:Provider=Acs) outside Development", exception.Message, StringComparison.Ordinal);
        Assert.Equal(countries is null, exception.Message.Contains("Otp:Sms:AllowedCountryCodes", StringComparison.Ordinal));
        Assert.Equal(globalBudget is null, exception.Message.Contains("Otp:MaxSendsGlobal", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartsOutsideDevelopmentGivenSmsWithCountriesAndGlobalBudgetOrWithoutSms()
    {
        var withBudgets = WithAcsSms(ValidSecrets());
        withBudgets["Otp:Sms:AllowedCountryCodes"] = "1,44";
        withBudgets["Otp:MaxSendsGlobal"] = "1000";
        var withoutSms = ValidSecrets();
        withoutSms["Otp:Delivery:Sms:Provider"] = "None";
        withoutSms["Otp:Delivery:Email:Provider"] = "None";

        await using var smsHost = await OtpHost.StartAsync(withBudgets, environment: "Production", captureDelivery: false);
        await using var noSmsHost = await OtpHost.StartAsync(withoutSms, environment: "Production", captureDelivery: false);

        using var health = await smsHost.Client.GetAsync("health");
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
    }

    private static Dictionary<string, string?> WithAcsSms(Dictionary<string, string?> settings)
    {
        settings["Otp:Delivery:Sms:Provider"] = "Acs";
        settings["Otp:Delivery:Sms:ConnectionString"] = "endpoint=https://example.communication.azure.com/;accesskey=" + Convert.ToBase64String(new byte[32]);
        settings["Otp:Delivery:Sms:From"] = "+18005550100";
        settings["Otp:Delivery:Email:Provider"] = "None";
        return settings;
    }

    private static Dictionary<string, string?> ValidSecrets() => new()
    {
        ["Otp:Secrets:Pepper"] = Convert.ToBase64String(new byte[32]),
        ["Otp:Secrets:EncryptionKey"] = Convert.ToBase64String(new byte[32]),
        ["Otp:Secrets:SigningKey"] = Convert.ToBase64String(new byte[32]),
    };
}
