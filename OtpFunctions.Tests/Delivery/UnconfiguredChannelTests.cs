using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
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

        var healthBody = await health.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", healthBody.GetProperty("status").GetString());
        Assert.Equal("not_configured", healthBody.GetProperty("channels").GetProperty("sms").GetString());
        Assert.Equal("configured", healthBody.GetProperty("channels").GetProperty("email").GetString());

        var smsBody = await sms.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, sms.StatusCode);
        Assert.Equal("invalid_request", smsBody.GetProperty("error").GetString());
        Assert.Contains("sms channel is not configured", smsBody.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, email.StatusCode);
    }

    [Fact]
    public async Task ShowsBothChannelsConfiguredGivenDevelopmentDefaults()
    {
        await using var host = await OtpHost.StartAsync();

        using var health = await host.Client.GetAsync("health");

        var channels = (await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("channels");
        Assert.Equal("configured", channels.GetProperty("sms").GetString());
        Assert.Equal("configured", channels.GetProperty("email").GetString());
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
    };
}
