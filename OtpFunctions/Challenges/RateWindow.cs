namespace OtpFunctions.Challenges;

/// <summary>A fixed window counter: <see cref="Count"/> sends since <see cref="Start"/>.</summary>
public sealed record RateWindow(DateTimeOffset Start, int Count)
{
    public static readonly RateWindow Empty = new(DateTimeOffset.MinValue, 0);

    public RateWindow Current(DateTimeOffset now, TimeSpan length) => now >= End(length) ? new RateWindow(now, 0) : this;

    public DateTimeOffset End(TimeSpan length) => Start == DateTimeOffset.MinValue ? DateTimeOffset.MinValue : Start + length;

    public RateWindow Add() => this with { Count = Count + 1 };
}
