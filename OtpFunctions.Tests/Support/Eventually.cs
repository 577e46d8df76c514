using System.Diagnostics;

namespace OtpFunctions.Tests.Support;

/// <summary>
/// The one way tests wait for something that happens off the request path (a queue drained, a message
/// delivered, a row written): poll until a condition holds, or fail with a message that says what was
/// last seen. Polling, not sleeping, keeps fast runs fast and slow (loaded) runs correct. Free of xunit, so the
/// load test (which links this file) waits the same way.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>Reads <paramref name="probe"/> until <paramref name="until"/> holds for its value, and returns that value.</summary>
    public static async Task<T> GetAsync<T>(Func<Task<T>> probe, Func<T, bool> until, Func<T, string> failure, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        while (true)
        {
            var value = await probe();
            if (until(value))
            {
                return value;
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"Not within {limit.TotalSeconds:0.#} s: {failure(value)}");
            }

            await Task.Delay(Interval);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> is true.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, string failure, TimeSpan? timeout = null) =>
        GetAsync(condition, done => done, _ => failure, timeout);

    /// <summary>Waits until <paramref name="condition"/> is true.</summary>
    public static Task TrueAsync(Func<bool> condition, string failure, TimeSpan? timeout = null) =>
        GetAsync(() => Task.FromResult(condition()), done => done, _ => failure, timeout);
}
