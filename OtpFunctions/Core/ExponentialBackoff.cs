namespace OtpFunctions.Core;

/// <summary>
/// One formula for every wait that grows after each failure, up to a ceiling: delivery retries (×2), webhook retries
/// (×4) and storage at start-up (×2). Contention between racing writers waits differently: a few jittered
/// milliseconds (<c>Storage.Contention</c>).
/// </summary>
public static class ExponentialBackoff
{
    /// <summary>The wait after failure number <paramref name="failures"/> (1 for the first): <paramref name="first"/> × <paramref name="factor"/>^(failures − 1), at most <paramref name="ceiling"/>.</summary>
    public static TimeSpan After(int failures, TimeSpan first, int factor, TimeSpan ceiling)
    {
        var wait = first.Ticks * Math.Pow(factor, Math.Max(0, failures - 1));
        return wait >= ceiling.Ticks ? ceiling : TimeSpan.FromTicks((long)wait);
    }
}
