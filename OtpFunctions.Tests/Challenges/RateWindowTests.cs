using OtpFunctions.Challenges;

namespace OtpFunctions.Tests.Challenges;

/// <summary>The fixed window every destination limit counts in: when it ends and when a new one opens.</summary>
public sealed class RateWindowTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Length = TimeSpan.FromMinutes(10);

    [Fact]
    public void KeepsCountingUntilTheLastTickOfTheWindow()
    {
        var window = new RateWindow(Start, 4);

        Assert.Same(window, window.Current(Start + Length - TimeSpan.FromTicks(1), Length));
    }

    [Fact]
    public void OpensAnEmptyWindowAtTheMomentTheOldOneEnds()
    {
        Assert.Equal(new RateWindow(Start + Length, 0), new RateWindow(Start, 4).Current(Start + Length, Length));
    }

    [Fact]
    public void OpensAWindowAtTheFirstSendGivenNoneYet()
    {
        Assert.Equal(DateTimeOffset.MinValue, RateWindow.Empty.End(Length));
        Assert.Equal(new RateWindow(Start, 1), RateWindow.Empty.Current(Start, Length).Add());
    }

    [Fact]
    public void CountsASendWithoutMovingTheWindow()
    {
        Assert.Equal(new RateWindow(Start, 5), new RateWindow(Start, 4).Add());
    }
}
