using OtpFunctions.Challenges;

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
    [InlineData("Ada@Example.com", "ada@example.com", "a***@example.com")]
    [InlineData("jo@example.org", "jo@example.org", "j***@example.org")]
    [InlineData("grace.hopper+otp@navy.mil", "grace.hopper+otp@navy.mil", "g***@navy.mil")]
    public void NormalizesAndMasksEmails(string input, string normalized, string masked)
    {
        Assert.True(Destination.TryParse(Channel.Email, input, out var destination, out _));
        Assert.Equal(normalized, destination!.Normalized);
        Assert.Equal(masked, destination.Masked);
        Assert.DoesNotContain(normalized.Split('@')[0], destination.Masked, StringComparison.Ordinal);
    }

    [Fact]
    public void HidesAtLeastFourDigitsOfShortPhoneNumbers()
    {
        // Tokelau numbers have four digits after +690: the old mask showed all but one (+6907*90).
        Assert.True(Destination.TryParse(Channel.Sms, "+6907290", out var tokelau, out _));
        Assert.Equal("+6****90", tokelau!.Masked);

        for (var digits = 7; digits <= 15; digits++)
        {
            var number = "+" + string.Concat(Enumerable.Range(1, digits).Select(i => (char)('0' + (i % 9) + 1)));
            var masked = Destination.Mask(Channel.Sms, number);
            Assert.Equal(number.Length, masked.Length);
            Assert.True(masked.Count(c => c == '*') >= Destination.MinHiddenPhoneDigits, $"{digits} digits: {masked}");
        }
    }

    [Fact]
    public void HidesTheLengthOfAnEmailsLocalPart()
    {
        string[] locals = ["ab", "abc", "abcdefghijklmnop"];
        var masks = locals.Select(local => Destination.Mask(Channel.Email, local + "@example.com")).Distinct().ToList();

        Assert.Equal(["a***@example.com"], masks);
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
