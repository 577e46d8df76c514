using System.Net;
using System.Net.Http.Json;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Sending;

/// <summary><c>POST /api/otp/{id}/resend</c> with <c>{"channel": ...}</c>: "call me instead", between the phone channels only.</summary>
public sealed class ChannelSwitchTests : IAsyncLifetime
{
    private OtpHost host = null!;

    public async Task InitializeAsync() => host = await OtpHost.StartAsync(new Dictionary<string, string?>(PhoneChannelsHostFixture.Settings), fakeClock: true);

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task SendsTheNextCodeByVoiceGivenCallMeInstead()
    {
        var first = await host.SendForAnswerAsync(Destinations.Phone());
        await host.Delivery.WaitForCodeAsync(first.Id);
        host.Clock!.Advance(TimeSpan.FromSeconds(31));

        using var resend = await host.Client.PostAsJsonAsync($"otp/{first.Id}/resend", new { channel = "voice" });
        var body = await Contract.ReadAsync<SendAnswer>(resend, HttpStatusCode.Accepted);
        await Eventually.GetAsync(() => Task.FromResult(host.Delivery.For(first.Id).Count()), count => count == 2, count => $"{count} messages");

        Assert.Equal("voice", body.Channel);
        Assert.Equal(first.SendsLeft - 1, body.SendsLeft);
        Assert.Equal(Channel.Voice, host.Delivery.For(first.Id).Last().Channel);
        Assert.Equal("voice", (await host.StatusAsync(first.Id)).Channel);
    }

    [Fact]
    public async Task KeepsTheCooldownGivenAChannelSwitch()
    {
        var id = await host.SendAsync(Destinations.Phone());

        using var resend = await host.Client.PostAsJsonAsync($"otp/{id}/resend", new { channel = "whatsapp" });

        await Contract.AssertErrorAsync(resend, HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Theory]
    [InlineData("sms", "email", "phone channels only")]
    [InlineData("email", "sms", "cannot switch")]
    [InlineData("sms", "fax", "phone channels only")]
    public async Task RefusesASwitchOffThePhoneChannels(string channel, string switchTo, string reason)
    {
        var id = await host.SendAsync(channel == "email" ? Destinations.Email() : Destinations.Phone(), channel);
        host.Clock!.Advance(TimeSpan.FromSeconds(31));

        using var resend = await host.Client.PostAsJsonAsync($"otp/{id}/resend", new { channel = switchTo });

        var error = await Contract.AssertErrorAsync(resend, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeepsTheChannelGivenAnEmptyObject()
    {
        var id = await host.SendAsync(Destinations.Phone(), "whatsapp");
        host.Clock!.Advance(TimeSpan.FromSeconds(31));

        using var resend = await host.Client.PostAsJsonAsync($"otp/{id}/resend", new { });

        Assert.Equal("whatsapp", (await Contract.ReadAsync<SendAnswer>(resend, HttpStatusCode.Accepted)).Channel);
    }
}
