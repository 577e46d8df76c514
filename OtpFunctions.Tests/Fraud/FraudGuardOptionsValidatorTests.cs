using OtpFunctions.Configuration;
using OtpFunctions.Fraud;

namespace OtpFunctions.Tests.Fraud;

/// <summary>A fraud guard that could never judge, or would judge everything, stops start-up with the key named.</summary>
public sealed class FraudGuardOptionsValidatorTests
{
    [Fact]
    public void AcceptsTheDefaults()
    {
        Assert.True(new FraudGuardOptionsValidator().Validate(null, new FraudGuardOptions()).Succeeded);
    }

    [Theory]
    [InlineData("Otp:FraudGuard:Grace must be shorter")]
    [InlineData("Otp:FraudGuard:MinConversion")]
    [InlineData("Otp:FraudGuard:MinSends")]
    [InlineData("Otp:FraudGuard:PrefixDigits")]
    [InlineData("Otp:FraudGuard:ExemptPrefixes holds 'x1'")]
    [InlineData("Otp:FraudGuard:BlockFor")]
    public void NamesTheKeyGivenBadValues(string expected)
    {
        var options = new FraudGuardOptions
        {
            Window = TimeSpan.FromMinutes(10),
            Grace = TimeSpan.FromMinutes(10),
            MinConversion = 1.5,
            MinSends = 0,
            PrefixDigits = 12,
            ExemptPrefixes = new SettingList(["+1", "x1"]),
            BlockFor = TimeSpan.Zero,
        };

        var result = new FraudGuardOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, failure => failure.StartsWith(expected, StringComparison.Ordinal));
    }
}
