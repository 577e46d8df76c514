using HdrHistogram;

namespace OtpFunctions.LoadTest.OpenLoop;

/// <summary>An HDR histogram of latencies in microseconds (3 significant digits, up to 10 minutes), safe to record from many tasks.</summary>
public sealed class HdrLatency
{
    private static readonly long Highest = (long)TimeSpan.FromMinutes(10).TotalMicroseconds;
    private readonly LongHistogram histogram = new(Highest, 3);
    private readonly Lock gate = new();

    public void Record(TimeSpan latency)
    {
        var micros = Math.Clamp((long)latency.TotalMicroseconds, 1, Highest);
        lock (gate)
        {
            histogram.RecordValue(micros);
        }
    }

    public long Count
    {
        get
        {
            lock (gate)
            {
                return histogram.TotalCount;
            }
        }
    }

    /// <summary>The latency at <paramref name="percentile"/> in milliseconds; NaN with no samples.</summary>
    public double Milliseconds(double percentile)
    {
        lock (gate)
        {
            return histogram.TotalCount == 0 ? double.NaN : histogram.GetValueAtPercentile(percentile) / 1000.0;
        }
    }

    public LatencySummary Summary() => new(Count, Milliseconds(50), Milliseconds(95), Milliseconds(99), Milliseconds(100));
}

/// <summary>Count and percentiles in milliseconds, as written to the JSON output.</summary>
public sealed record LatencySummary(long Count, double P50, double P95, double P99, double Max);
