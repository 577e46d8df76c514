using OtpFunctions.Configuration;

namespace OtpFunctions.Challenges;

/// <summary>What api.md shows of a challenge after a send and in its status: attempts and sends left, and when a resend may come.</summary>
public sealed class ChallengeViews(IOptions<OtpOptions> options)
{
    private readonly OtpOptions limits = options.Value;

    /// <summary>The 202 body of a send or resend: <paramref name="window"/> is the destination's, with this send counted.</summary>
    public ChallengeView View(Challenge challenge, RateWindow window) => new(
        challenge.Id.Value,
        challenge.Channel.ToWire(),
        challenge.MaskedTo,
        "pending",
        challenge.ExpiresAt,
        CeilingToSecond(challenge.LastSentAt + limits.ResendCooldown),
        AttemptsLeft(challenge),
        SendsLeft(window));

    public int AttemptsLeft(Challenge challenge) => Math.Max(0, limits.MaxVerifyAttempts - challenge.FailedAttempts);

    public int SendsLeft(RateWindow window) => Math.Max(0, limits.MaxSendsPerDestination - window.Count);

    // Times are shown to the second and rounded down, except this one: a client that waits until it must not be refused.
    private static DateTimeOffset CeilingToSecond(DateTimeOffset at) =>
        new(((at.UtcTicks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond) * TimeSpan.TicksPerSecond, TimeSpan.Zero);
}
