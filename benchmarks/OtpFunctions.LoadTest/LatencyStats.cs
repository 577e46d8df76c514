using System.Collections.Concurrent;
using System.Diagnostics;

namespace OtpFunctions.LoadTest;

/// <summary>Latencies and outcomes of one route in one phase.</summary>
public sealed class LatencyStats(string name)
{
    private readonly ConcurrentBag<double> milliseconds = [];
    private readonly ConcurrentDictionary<string, long> errors = new();

    public string Name => name;

    public int Count => milliseconds.Count;

    public long ErrorCount => errors.Values.Sum();

    public IReadOnlyDictionary<string, long> Errors => errors;

    public void Record(long startedTimestamp, string? error) => Record(Stopwatch.GetElapsedTime(startedTimestamp), error);

    public void Record(TimeSpan elapsed, string? error)
    {
        milliseconds.Add(elapsed.TotalMilliseconds);
        if (error is not null)
        {
            errors.AddOrUpdate(error, 1, static (_, count) => count + 1);
        }
    }

    public double Percentile(double percentile)
    {
        var sorted = milliseconds.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        // Nearest-rank: the smallest sample with at least p% of samples at or below it.
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
