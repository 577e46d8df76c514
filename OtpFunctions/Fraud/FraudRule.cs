namespace OtpFunctions.Fraud;

/// <summary>
/// The fraud guard's arithmetic, free of storage and clocks: which buckets a moment falls in, which sends are
/// judged (sent in the last <c>Window</c>, at least <c>Grace</c> ago, after the last block or lift), and when a
/// prefix looks pumped (at least <c>MinSends</c> judged, fewer than <c>MinConversion</c> of them verified).
/// </summary>
public sealed class FraudRule(IOptions<FraudGuardOptions> options)
{
    /// <summary>Buckets kept per prefix: a ring covering Window and Grace with two to spare.</summary>
    public const int Slots = 32;

    private readonly FraudGuardOptions settings = options.Value;

    public FraudGuardOptions Settings => settings;

    /// <summary>About a thirtieth of Window + Grace: 2m10s by default, so a send is judged 5 to 7 minutes after it.</summary>
    public TimeSpan BucketLength { get; } = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, ((options.Value.Window + options.Value.Grace).Ticks + Slots - 3) / (Slots - 2)));

    public long BucketOf(DateTimeOffset at) => at.UtcTicks / BucketLength.Ticks;

    public DateTimeOffset StartOf(long bucket) => new(bucket * BucketLength.Ticks, TimeSpan.Zero);

    /// <summary>The oldest bucket a ring that holds <paramref name="newest"/> still keeps.</summary>
    public static long OldestKept(long newest) => newest - Slots + 1;

    /// <summary>The prefix to judge, or null when the guard is off or the number exempt (an exempt prefix may be longer than a judged one).</summary>
    public string? Watched(string e164) =>
        settings.Mode != FraudGuardMode.Off && !settings.IsExempt(e164) && PhonePrefix.Of(e164, settings.PrefixDigits) is { } prefix ? prefix : null;

    public FraudVerdict Judge(PrefixState state, DateTimeOffset now)
    {
        if (state.Block is { } block && block.IsActive(now))
        {
            if (block.Enforced && settings.Mode == FraudGuardMode.Block)
            {
                return new FraudVerdict(block.Until - now, null);
            }

            // Reported already: once per block. Only a report made in Monitor mode is judged again once Block is on.
            if (block.Enforced || settings.Mode == FraudGuardMode.Monitor)
            {
                return FraudVerdict.Pass;
            }
        }

        var (sends, verified) = Judged(state, now);
        if (sends < settings.MinSends || verified >= settings.MinConversion * sends)
        {
            return FraudVerdict.Pass;
        }

        var enforced = settings.Mode == FraudGuardMode.Block;
        return new FraudVerdict(enforced ? settings.BlockFor : null, new PrefixBlock(now, now + settings.BlockFor, sends, verified, enforced, now));
    }

    /// <summary>The judged sends and how many of them were verified.</summary>
    public (int Sends, int Verified) Judged(PrefixState state, DateTimeOffset now)
    {
        var from = now - settings.Window;
        if (state.Block is { } block && block.JudgedFrom > from)
        {
            from = block.JudgedFrom;
        }

        var (sends, verified) = (0, 0);
        foreach (var bucket in state.Buckets)
        {
            if (StartOf(bucket.Bucket) >= from && StartOf(bucket.Bucket + 1) + settings.Grace <= now)
            {
                sends += bucket.Sends;

                // A verification whose send was not counted (its count failed) must not vouch for another send.
                verified += Math.Min(bucket.Verified, bucket.Sends);
            }
        }

        return (sends, verified);
    }
}
