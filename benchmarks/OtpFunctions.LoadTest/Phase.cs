using System.Diagnostics;

namespace OtpFunctions.LoadTest;

/// <summary>Runs one operation in a closed loop on N workers until the time is up or the work runs out.</summary>
public static class Phase
{
    /// <param name="operation">One request; returns false when there is no more work for this phase.</param>
    /// <returns>How long the phase really ran, to turn counts into throughput.</returns>
    public static async Task<TimeSpan> RunAsync(int concurrency, TimeSpan duration, Func<Task<bool>> operation)
    {
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < deadline && await operation())
            {
            }
        }));
        await Task.WhenAll(workers);
        return Stopwatch.GetElapsedTime(started);
    }
}
