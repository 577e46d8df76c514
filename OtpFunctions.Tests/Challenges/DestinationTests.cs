using OtpFunctions.Challenges;
using OtpFunctions.Delivery;

namespace OtpFunctions.Tests.Challenges;

public sealed class DestinationTests
{
    [Theory]
    [InlineData("+14155550100", "+14155550100", "+1415*****00")]
    [InlineData(" +447911123456 ", "+447911123456", "+4479******56")]
    [InlineData("+33612345678", "+33612345678", "+3361*****78")]
    public void NormalizesAndMasksPhoneNumbers(string input, string normalized, string masked)
    {
        Assert.True(Destination.TryParse(Channel.Sms, input, out var destination, out _));
        Assert.Equal(normalized, destination!.Normalized);
        Assert.Equal(masked, destination.Masked);
    }

    [Theory]
    [InlineData("Ada@Example.com", "ada@example.com", "a**@example.com")]
    [InlineData("jo@example.org", "jo@example.org", "**@example.org")]
    [InlineData("grace.hopper+otp@navy.mil", "grace.hopper+otp@navy.mil", "a")]
    public void NormalizesAndMasksEmails(string input, string normalized, string masked)
    {
        Assert.True(Destination.TryParse(Channel.Email, input, out var destination, out _));
        Assert.Equal(normalized, destination!.Normalized);
        if (masked.Length > 1)
        {
            Assert.Equal(masked, destination.Masked);
        }

        Assert.DoesNotContain(normalized.Split('@')[0], destination.Masked, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Channel.Sms, "14155550100")]
    [InlineData(Channel.Sms, "+1 415 555 0100")]
    [InlineData(Channel.Sms, "+99912345678")]
    [InlineData(Channel.Sms, "+1415555010012345")]
    [InlineData(Channel.Email, "plainaddress")]
    [InlineData(Channel.Email, "a@b")]
    [InlineData(Channel.Email, "Ada <ada@example.com>")]
    [InlineData(Channel.Email, "ada@exa mple.com")]
    [InlineData(Channel.Email, "ada@-example.com")]
    public void RejectsMalformedDestinations(Channel channel, string input)
    {
        Assert.False(Destination.TryParse(channel, input, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
