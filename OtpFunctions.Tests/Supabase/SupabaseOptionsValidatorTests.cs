using OtpFunctions.Supabase;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Supabase;

/// <summary>Start-up refuses a hook configuration that could never work, naming the key and never the secret.</summary>
public sealed class SupabaseOptionsValidatorTests
{
    private readonly SupabaseOptionsValidator validator = new();

    [Fact]
    public void AcceptsNothingConfiguredGivenHooksOff() =>
        Assert.True(validator.Validate(null, new SupabaseOptions()).Succeeded);

    [Theory]
    [InlineData("sms")]
    [InlineData("whatsapp")]
    [InlineData("voice")]
    public void AcceptsPhoneChannelGivenSmsChannel(string channel) =>
        Assert.True(validator.Validate(null, new SupabaseOptions { HookSecret = SupabaseHook.NewSecret(), SmsChannel = channel }).Succeeded);

    [Theory]
    [InlineData("email")]
    [InlineData("SMS")]
    [InlineData("pigeon")]
    public void RefusesSmsChannelGivenNoPhoneChannel(string channel)
    {
        var result = validator.Validate(null, new SupabaseOptions { SmsChannel = channel });

        Assert.True(result.Failed);
        Assert.Contains("Otp:Supabase:SmsChannel", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void NamesTheKeyButNeverTheValueGivenUnreadableSecret()
    {
        const string secret = "v1,whsec_c2hvcnQ=";

        var result = validator.Validate(null, new SupabaseOptions { HookSecret = secret });

        Assert.True(result.Failed);
        Assert.Contains("Otp:Supabase:HookSecret", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("c2hvcnQ", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopsTheHostGivenUnreadableSecret()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => OtpHost.StartAsync(new Dictionary<string, string?> { ["Otp:Supabase:HookSecret"] = "whsec_not-base64!" }, listenToQueue: false));

        Assert.Contains("Otp:Supabase:HookSecret", failure.ToString(), StringComparison.Ordinal);
    }
}
