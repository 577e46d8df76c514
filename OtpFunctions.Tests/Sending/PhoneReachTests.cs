using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Sending;

namespace OtpFunctions.Tests.Sending;

/// <summary>Which numbers a phone channel may reach: the country allow-list and libphonenumber's number types.</summary>
public sealed class PhoneReachTests
{
    [Theory]
    [InlineData("+14155550100")] // FixedLineOrMobile: a US number may be either
    [InlineData("+447911123456")] // Mobile
    [InlineData("+33612345678")] // Mobile
    public void LetsCodesGoGivenNumbersAPersonCarries(string number)
    {
        Assert.Null(Reach().Refusal(Channel.Sms, Parse(number).CallingCode!.Value, Parse(number).NumberType));
    }

    [Theory]
    [InlineData("+19005550100", "premium-rate")]
    [InlineData("+18005550199", "toll-free")]
    [InlineData("+447012345678", "personal (forwarding)")]
    [InlineData("+442071234567", "fixed-line")]
    public void RefusesWithTheNumbersKindGivenNumbersWherePumpingPays(string number, string kind)
    {
        var destination = Parse(number);

        var refusal = Reach().Refusal(Channel.Sms, destination.CallingCode!.Value, destination.NumberType);

        Assert.Equal(("invalid_request", 400), (refusal?.Code, refusal?.Status));
        Assert.Contains($"a {kind} number", refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CallsAFixedLineByVoiceButNeverTextsIt()
    {
        var landline = Parse("+442071234567");

        Assert.Null(Reach().Refusal(Channel.Voice, 44, landline.NumberType));
        Assert.NotNull(Reach().Refusal(Channel.WhatsApp, 44, landline.NumberType));
        Assert.NotNull(Reach().Refusal(Channel.Voice, 1, Parse("+19005550100").NumberType));
    }

    [Fact]
    public void FollowsTheConfiguredTypesGivenAllowedNumberTypes()
    {
        var reach = Reach(new SmsAbuseOptions { AllowedNumberTypes = ["Mobile", "TOLL_FREE"] });

        Assert.Null(reach.Refusal(Channel.Sms, 1, Parse("+18005550199").NumberType));
        Assert.NotNull(reach.Refusal(Channel.Sms, 1, Parse("+14155550100").NumberType));
    }

    [Fact]
    public void RefusesAnyTypeGivenACountryOffTheAllowList()
    {
        var refusal = Reach(new SmsAbuseOptions { AllowedCountryCodes = ["1"] }).Refusal(Channel.Sms, 44, Parse("+447911123456").NumberType);

        Assert.Contains("+44", refusal?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NamesEveryLibphonenumberTypeTheWayConfigurationSpellsIt()
    {
        Assert.Contains("FixedLineOrMobile", NumberTypes.Names);
        Assert.True(NumberTypes.TryParse("premiumrate", out var premium));
        Assert.Equal(PhoneNumbers.PhoneNumberType.PREMIUM_RATE, premium);
        Assert.False(NumberTypes.TryParse("Landline", out _));
    }

    private static PhoneReach Reach(SmsAbuseOptions? sms = null) => new(Microsoft.Extensions.Options.Options.Create(new OtpOptions { Sms = sms ?? new SmsAbuseOptions() }));

    private static Destination Parse(string number) =>
        Destination.TryParse(Channel.Sms, number, out var destination, out var error) ? destination! : throw new InvalidOperationException(error);
}
