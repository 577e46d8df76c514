namespace OtpFunctions.Sending;

/// <summary>
/// How a budget's limit is divided: over up to <see cref="MaxShards"/> rows, each capped at its share, so the shards'
/// caps add up to the limit exactly and no row can hold more than its share whatever the concurrency.
/// </summary>
public static class BudgetShares
{
    /// <summary>Enough rows that concurrent senders rarely collide on one; few enough that one query reads them all.</summary>
    public const int MaxShards = 32;

    public static int ShardCount(int limit) => Math.Clamp(limit, 0, MaxShards);

    /// <summary>The most <paramref name="shard"/> may hold: the limit split evenly, the remainder to the first shards.</summary>
    public static int Capacity(int limit, int shard)
    {
        var shards = ShardCount(limit);
        return shard < 0 || shard >= shards ? 0 : (limit / shards) + (shard < limit % shards ? 1 : 0);
    }

    /// <summary>
    /// A global budget split between callers without an API key (at most <paramref name="anonymousShare"/> of it)
    /// and the rest, kept for server callers and relays. Rounded down for the anonymous side: the share is a ceiling.
    /// </summary>
    public static (int Anonymous, int Keyed) Split(int limit, double anonymousShare)
    {
        var anonymous = (int)Math.Floor((limit * Math.Clamp(anonymousShare, 0, 1)) + 1e-9);
        return (anonymous, limit - anonymous);
    }

    public static string ShardKey(int shard) => "s" + shard.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
