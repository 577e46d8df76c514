using OtpFunctions.Challenges;
using OtpFunctions.Fraud;

namespace OtpFunctions.Tests.Fraud;

/// <summary>Which range a number falls in, how an operator may write one, and which ranges are exempt.</summary>
public sealed class PhonePrefixTests
{
    [Theory]
    [InlineData("+2348031234567", 3, "+234803")]
    [InlineData("+14155550100", 3, "+1415")]
    [InlineData("+447911123456", 3, "+44791")]
    [InlineData("+447911123456", 0, "+44")]
    [InlineData("+390612345678", 3, "+39061")]
    [InlineData("+35312345", 8, "+35312345")]
    public void TakesTheCallingCodeAndTheFirstNationalDigits(string number, int digits, string prefix)
    {
        Assert.Equal(prefix, PhonePrefix.Of(number, digits));
    }

    [Theory]
    [InlineData("+2348031234567")]
    [InlineData("+2348051234567")]
    [InlineData("+447911123456")]
    public void UsesNumbersTheServiceAccepts(string number)
    {
        Assert.True(Destination.TryParse(Channel.Sms, number, out _, out var error), error);
    }

    [Theory]
    [InlineData("+234803", 234)]
    [InlineData("+1415", 1)]
    [InlineData("+44791", 44)]
    [InlineData("+35312", 353)]
    public void FindsTheCallingCode(string prefix, int callingCode)
    {
        Assert.Equal(callingCode, PhonePrefix.CallingCodeOf(prefix));
    }

    [Theory]
    [InlineData("+234803", true)]
    [InlineData("234803", true)]
    [InlineData(" 234803", true)]
    [InlineData("+0234", false)]
    [InlineData("+23a803", false)]
    [InlineData("", false)]
    [InlineData("++234", false)]
    public void ReadsAPrefixAsAnOperatorWritesIt(string text, bool valid)
    {
        Assert.Equal(valid, PhonePrefix.TryParse(text, out var prefix));
        if (valid)
        {
            Assert.Equal("+234803", prefix);
        }
    }

    [Theory]
    [InlineData("+14155550100", true)]
    [InlineData("+447911123456", true)]
    [InlineData("+447912123456", false)]
    [InlineData("+2348031234567", false)]
    public void ExemptsEveryNumberStartingWithAnExemptPrefix(string number, bool exempt)
    {
        var options = new FraudGuardOptions { ExemptPrefixes = ["+1", "447911"] };

        Assert.Equal(exempt, options.IsExempt(number));
    }
}
