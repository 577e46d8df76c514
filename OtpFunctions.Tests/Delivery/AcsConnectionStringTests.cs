using OtpFunctions.Delivery.Acs;

namespace OtpFunctions.Tests.Delivery;

public sealed class AcsConnectionStringTests
{
    [Fact]
    public void ReturnsEndpointAndKeyGivenValidString()
    {
        var parsed = AcsConnectionString.Parse("endpoint=https://contoso.communication.azure.com/;accesskey=AAECAw==");

        Assert.Equal(new Uri("https://contoso.communication.azure.com/"), parsed.Endpoint);
        Assert.Equal(new byte[] { 0, 1, 2, 3 }, parsed.AccessKey);
    }

    [Fact]
    public void ReturnsLoopbackEndpointGivenHttpLoopback()
    {
        var parsed = AcsConnectionString.Parse("ENDPOINT=http://127.0.0.1:5055;AccessKey=AAECAw==");

        Assert.Equal(new Uri("http://127.0.0.1:5055/"), parsed.Endpoint);
    }

    [Theory]
    [InlineData("endpoint=https://contoso.communication.azure.com/")]
    [InlineData("accesskey=AAECAw==")]
    [InlineData("endpoint=http://contoso.example/;accesskey=AAECAw==")]
    [InlineData("endpoint=https://contoso.example/;accesskey=not base64!")]
    [InlineData("")]
    public void ReturnsFalseGivenInvalidString(string value)
    {
        Assert.False(AcsConnectionString.TryParse(value, out _, out var error));
        Assert.DoesNotContain("AAECAw", error, StringComparison.Ordinal);
    }

    [Fact]
    public void HidesKeyGivenToString()
    {
        var parsed = AcsConnectionString.Parse("endpoint=https://contoso.communication.azure.com/;accesskey=AAECAw==");

        Assert.DoesNotContain("AAECAw", parsed.ToString(), StringComparison.Ordinal);
    }
}
