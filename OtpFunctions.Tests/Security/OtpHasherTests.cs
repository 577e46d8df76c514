using System.Security.Cryptography;
using OtpFunctions.Security;

namespace OtpFunctions.Tests.Security;

public sealed class OtpHasherTests
{
    private readonly OtpHasher hasher = new(Secrets());

    [Fact]
    public void MatchesOnlyTheCodeItHashedForThatChallenge()
    {
        var hash = hasher.HashCode("challenge-a", "123456");

        Assert.True(hasher.CodeMatches("challenge-a", "123456", hash));
        Assert.False(hasher.CodeMatches("challenge-a", "123457", hash));
        Assert.False(hasher.CodeMatches("challenge-b", "123456", hash));
        Assert.False(hasher.CodeMatches("challenge-a", "123456", "not-base64!"));
        Assert.DoesNotContain("123456", hash, StringComparison.Ordinal);
    }

    [Fact]
    public void DependsOnThePepper()
    {
        var other = new OtpHasher(Secrets());

        Assert.NotEqual(hasher.HashCode("c", "123456"), other.HashCode("c", "123456"));
        Assert.NotEqual(hasher.DestinationKey(Channel.Sms, "+14155550100"), other.DestinationKey(Channel.Sms, "+14155550100"));
    }

    [Fact]
    public void ReturnsStableDestinationKeyPerChannel()
    {
        var key = hasher.DestinationKey(Channel.Sms, "+14155550100");

        Assert.Equal(key, hasher.DestinationKey(Channel.Sms, "+14155550100"));
        Assert.NotEqual(key, hasher.DestinationKey(Channel.Email, "+14155550100"));
        Assert.Matches("^[A-Za-z0-9_-]{22}$", key);
    }

    internal static OtpSecrets Secrets() => OtpSecrets.Create(new SecretOptions
    {
        Pepper = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        EncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    });
}
