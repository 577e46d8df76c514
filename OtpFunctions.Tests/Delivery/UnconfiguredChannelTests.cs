using System.Net;
using System.Net.Http.Json;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Delivery;

/// <summary>
/// A first deployment has no SMS number yet (one can only be bought once the ACS resource exists):
/// it must start, say so in health, and refuse SMS sends clearly while email works.
/// </summary>
public sealed class UnconfiguredChannelTests
{
    [Fact]
    public async Task StartsInProductionAndRefusesSmsGivenSmsProviderNone()
    {
        await using var host = await OtpHost.StartAsync(ProductionWithoutSms(), environment: "Production");

        using var health = await host.Client.GetAsync("health");
        using var sms = await host.Client.PostAsJsonAsync("otp", new { channel = "sms", to = "+14155550100" });
        using var email = await host.Client.PostAsJsonAsync("otp", new { channel = "email", to = "ada@example.com" });

        var healthBody = await Contract.ReadAsync<HealthAnswer>(health, HttpStatusCode.OK);
        Assert.Equal("ok", healthBody.Status);
        Assert.Equal("not_configured", healthBody.Channels!["sms"]);
        Assert.Equal("configured", healthBody.Channels["email"]);

        var smsError = await Contract.AssertErrorAsync(sms, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("sms channel is not configured", smsError.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, email.StatusCode);
    }

    [Fact]
    public async Task ShowsBothChannelsConfiguredGivenDevelopmentDefaults()
    {
        await using var host = await OtpHost.StartAsync();

        using var health = await host.Client.GetAsync("health");

        var channels = (await Contract.ReadAsync<HealthAnswer>(health, HttpStatusCode.OK)).Channels!;
        Assert.Equal("configured", channels["sms"]);
        Assert.Equal("configured", channels["email"]);
        Assert.Equal("not_configured", channels["whatsapp"]);
        Assert.Equal("not_configured", channels["voice"]);
    }

    [Theory]
    [InlineData("{\"channel\":\"whatsapp\",\"to\":\"+14155550100\"}", "whatsapp channel is not configured")]
    [InlineData("{\"channel\":\"voice\",\"to\":\"+14155550100\"}", "voice channel is not configured")]
    [InlineData("{\"channel\":\"sms\",\"to\":\"+14155550100\",\"fallback\":[\"voice\"]}", "voice channel is not configured")]
    public async Task RefusesWhatsAppAndVoiceGivenTheirDefaultProviderNone(string body, string reason)
    {
        await using var host = await OtpHost.StartAsync();

        using var response = await host.Client.PostAsync("otp", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var error = await Contract.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> ProductionWithoutSms() => new()
    {
        ["Otp:Secrets:Pepper"] = Convert.ToBase64String(new byte[32]),
        ["Otp:Secrets:EncryptionKey"] = Convert.ToBase64String(new byte[32]),
        ["Otp:Secrets:SigningKey"] = Convert.ToBase64String(new byte[32]),
        ["Otp:Delivery:Sms:Provider"] = "None",
        ["Otp:Delivery:Email:Provider"] = "Smtp",
        ["Otp:Delivery:Email:From"] = "otp@example.com",
        ["Otp:Delivery:Email:Smtp:Host"] = "127.0.0.1",
        ["Otp:Email:MaxSendsGlobal"] = "80",
    };
}
