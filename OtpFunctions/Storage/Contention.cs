namespace OtpFunctions.Storage;

/// <summary>
/// Optimistic concurrency, one policy for every loop that reads a row, decides, and writes only if the row is still as
/// read (an ETag, or an add that finds the row): a writer that lost the race reads again and decides again, after a
/// short jittered pause once it has lost twice, and gives up with <see cref="ContentionException"/> (a 503 the client
/// retries) after <see cref="MaxRounds"/>.
/// </summary>
public static class Contention
{
    /// <summary>Twenty racing requests settle within twenty rounds; the margin covers jittered retries.</summary>
    public const int MaxRounds = 64;

    /// <summary>Called when round <paramref name="round"/> (from 0) lost its race: waits before the next round, or throws when none is left.</summary>
    public static Task LostRaceAsync(int round, CancellationToken cancellationToken)
    {
        if (round >= MaxRounds - 1)
        {
            throw new ContentionException();
        }

        // Two racers usually settle on the next read; a crowd spreads out over a few milliseconds more each round.
        return round < 2 ? Task.CompletedTask : Task.Delay(Random.Shared.Next(1, 5 * Math.Min(round, 10)), cancellationToken);
    }
}
