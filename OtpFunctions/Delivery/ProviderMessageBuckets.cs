using System.Globalization;

namespace OtpFunctions.Delivery;

/// <summary>
/// The time arithmetic of the provider-message index. Rows live in one partition per UTC hour of the send,
/// <c>msg~yyyyMMddHH</c> (no other partition key holds a '~' except the expiry index's, which starts with one), so every
/// row of a partition is purged within about an hour of the others: the partition is filed for the sweeper once, for
/// when its last row can have expired, and the sweeper then reads only expired rows. A report knows only the provider's
/// message id, and arrives after the send: the hours to look in follow from the time it is received.
/// </summary>
/// <param name="rowLifetime">The longest a row can outlive its send: the code's lifetime plus the retention after it.</param>
public sealed class ProviderMessageBuckets(TimeSpan rowLifetime)
{
    public const string PartitionPrefix = "msg~";
    public static readonly TimeSpan Length = TimeSpan.FromHours(1);

    // Instances' clocks differ a little: a row stamped by a clock ahead of the reader's may sit in the next hour.
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    /// <summary>The partition of a row written at <paramref name="sentAt"/>.</summary>
    public static string PartitionOf(DateTimeOffset sentAt) => Name(Start(sentAt));

    /// <summary>
    /// When the partition of <paramref name="sentAt"/> is to be swept: after its hour has ended and the last row
    /// written in it can have expired. A row that outlives that (a longer code lifetime configured since) is found
    /// live by the sweeper, which files the partition again for it.
    /// </summary>
    public DateTimeOffset SweepAt(DateTimeOffset sentAt) => Start(sentAt) + Length + rowLifetime;

    /// <summary>
    /// The partitions a report received at <paramref name="now"/> looks in, likeliest first: the current hour; the
    /// next one near its start (a writer's clock ahead of ours); then each earlier hour that may hold a row still
    /// live. A report comes seconds after its send, so the first is nearly always the one, the second only across
    /// an hour's turn; a row older than its lifetime has expired and counts as swept.
    /// </summary>
    public IReadOnlyList<string> Candidates(DateTimeOffset now)
    {
        var current = Start(now);
        var candidates = new List<string> { Name(current) };
        if (Start(now + ClockSkew) != current)
        {
            candidates.Add(Name(Start(now + ClockSkew)));
        }

        var oldest = now - rowLifetime - ClockSkew;
        for (var start = current - Length; start + Length > oldest; start -= Length)
        {
            candidates.Add(Name(start));
        }

        return candidates;
    }

    private static DateTimeOffset Start(DateTimeOffset at) => new(at.UtcTicks / Length.Ticks * Length.Ticks, TimeSpan.Zero);

    private static string Name(DateTimeOffset start) => PartitionPrefix + start.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
}
