using OtpFunctions.Delivery.Templates;

namespace OtpFunctions.Tests.Delivery;

public sealed class SmsSegmentsTests
{
    [Theory]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    public void ReturnsGsm7SegmentsGivenPlainText(int length, int segments)
    {
        var count = SmsSegments.Count(new string('a', length));

        Assert.Equal(new SmsSegmentCount(SmsEncoding.Gsm7, length, segments), count);
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void ReturnsUcs2SegmentsGivenNonGsmCharacter(int length, int segments)
    {
        var count = SmsSegments.Count("ó" + new string('a', length - 1));

        Assert.Equal(new SmsSegmentCount(SmsEncoding.Ucs2, length, segments), count);
    }

    [Fact]
    public void CountsExtensionCharactersTwiceGivenGsm7()
    {
        Assert.Equal(new SmsSegmentCount(SmsEncoding.Gsm7, 160, 1), SmsSegments.Count(new string('€', 80)));
        Assert.Equal(new SmsSegmentCount(SmsEncoding.Gsm7, 161, 2), SmsSegments.Count(new string('{', 80) + "a"));
    }

    [Fact]
    public void ReturnsGsm7GivenAccentsInTheGsmAlphabet() =>
        Assert.Equal(SmsEncoding.Gsm7, SmsSegments.Count("é è ù ì ò Ç Ñ ü ¿ ¡ £ ¥ §").Encoding);

    [Fact]
    public void CountsSurrogatePairsAsTwoUnitsGivenEmoji() =>
        Assert.Equal(new SmsSegmentCount(SmsEncoding.Ucs2, 2, 1), SmsSegments.Count("😀"));
}
