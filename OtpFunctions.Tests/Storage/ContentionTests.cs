using OtpFunctions.Storage;

namespace OtpFunctions.Tests.Storage;

/// <summary>The one policy of every read-decide-write loop: retry at once, then after a short jitter, then give up with a 503.</summary>
public sealed class ContentionTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void RetriesAtOnceGivenTheFirstLostRaces(int round) =>
        Assert.True(Contention.LostRaceAsync(round, CancellationToken.None).IsCompleted);

    [Fact]
    public async Task PausesAFewMillisecondsGivenACrowd()
    {
        var wait = Contention.LostRaceAsync(40, CancellationToken.None);

        // At most 50 ms by the rule; a second leaves room for a loaded machine.
        Assert.False(wait.IsCompleted);
        await wait.WaitAsync(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task GivesUpWithContentionGivenTheLastRoundLost()
    {
        await Contention.LostRaceAsync(Contention.MaxRounds - 2, CancellationToken.None);

        await Assert.ThrowsAsync<ContentionException>(() => Contention.LostRaceAsync(Contention.MaxRounds - 1, CancellationToken.None));
    }
}
