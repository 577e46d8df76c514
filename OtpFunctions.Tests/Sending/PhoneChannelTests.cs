using System.Net;
using System.Net.Http.Json;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Sending;

/// <summary>SMS, WhatsApp and voice are one number's channels: one set of limits, one partition, one pending code per purpose.</summary>
public sealed class PhoneChannelTests(PhoneChannelsHostFixture fixture) : IClassFixture<PhoneChannelsHostFixture>
{
    private static readonly string[] SmsThenVoice = ["sms", "voice"];

    private OtpHost Host => fixture.Host;

    [Theory]
    [InlineData("whatsapp", Channel.WhatsApp)]
    [InlineData("voice", Channel.Voice)]
    public async Task DeliversOnTheNamedPhoneChannelGivenItIsConfigured(string channel, Channel expected)
    {
        var answer = await Host.SendForAnswerAsync(Destinations.Phone(), channel);

        Assert.Equal(channel, answer.Channel);
        Assert.Equal("+1415*****" + answer.To[^2..], answer.To);
        await Host.Delivery.WaitForCodeAsync(answer.Id);
        Assert.Equal(expected, Host.Delivery.For(answer.Id).Single().Channel);
        Assert.Equal(channel, (await Host.StatusAsync(answer.Id)).Channel);
    }

    [Fact]
    public async Task SharesOneSendLimitAcrossThePhoneChannels()
    {
        var to = Destinations.Phone();

        var sms = await Host.SendForAnswerAsync(to, "sms");
        var whatsapp = await Host.SendForAnswerAsync(to, "whatsapp");
        var voice = await Host.SendForAnswerAsync(to, "voice");

        Assert.Equal([4, 3, 2], new[] { sms.SendsLeft, whatsapp.SendsLeft, voice.SendsLeft });
        Assert.Equal(sms.Id[..22], voice.Id[..22]);
    }

    [Fact]
    public async Task AcceptsAFallbackListOfOtherPhoneChannels()
    {
        using var response = await Host.Client.PostAsJsonAsync("otp", new { channel = "whatsapp", to = Destinations.Phone(), fallback = SmsThenVoice });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
