namespace OtpFunctions.Tests.Core;

public sealed class ExponentialBackoffTests
{
    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(0, 5)]
    public void DoublesAfterEachFailureGivenFactorTwo(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ExponentialBackoff.After(failures, TimeSpan.FromSeconds(5), factor: 2, TimeSpan.FromHours(1)));

    [Fact]
    public void StopsAtTheCeilingGivenManyFailures()
    {
        Assert.Equal(TimeSpan.FromHours(6), ExponentialBackoff.After(8, TimeSpan.FromSeconds(5), factor: 4, TimeSpan.FromHours(6)));
        Assert.Equal(TimeSpan.FromMinutes(10), ExponentialBackoff.After(int.MaxValue, TimeSpan.FromSeconds(1), factor: 2, TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void GrowsFourfoldGivenFactorFour() =>
        Assert.Equal(TimeSpan.FromSeconds(80), ExponentialBackoff.After(3, TimeSpan.FromSeconds(5), factor: 4, TimeSpan.FromHours(6)));
}
