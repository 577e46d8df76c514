using Microsoft.Extensions.Hosting;
using OtpFunctions.Configuration;
using OtpFunctions.Security;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Startup;

/// <summary>
/// Resolves the secrets at start-up, so a missing or malformed key stops the host before the first request,
/// and warns outside Development when the code length and attempt limits make codes too easy to guess.
/// </summary>
public sealed class StartupChecks(OtpSecrets secrets, IOptions<OtpOptions> options, IHostEnvironment environment, ILogger<StartupChecks> logger) : IHostedService
{
    /// <summary>
    /// The most a guesser may win with: NIST SP 800-63B's floor for a look-up or out-of-band code is six
    /// digits with at most 100 failed attempts, 100 / 10^6 = 1 in 10,000.
    /// </summary>
    public const double MaxGuessProbability = 1e-4;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (secrets.Generated)
        {
            OtpLog.DevelopmentSecretsGenerated(logger, $"some of {OtpSecrets.PepperKey}, {OtpSecrets.EncryptionKeyKey}, {OtpSecrets.SigningKeyKey} ({environment.EnvironmentName})");
        }

        if (!environment.IsDevelopment())
        {
            WarnAboutGuessableCodes(options.Value, logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// One code falls to MaxVerifyAttempts guesses within its lifetime; one destination, across its challenges,
    /// to MaxFailuresPerDestination guesses per FailureWindow. Warns (and returns true) when either chance is
    /// above <see cref="MaxGuessProbability"/>.
    /// </summary>
    public static bool WarnAboutGuessableCodes(OtpOptions limits, ILogger logger)
    {
        var codes = Math.Pow(10, limits.CodeLength);
        var perCode = Math.Min(1, Math.Min(limits.MaxVerifyAttempts, limits.MaxFailuresPerDestination) / codes);
        var perDestination = Math.Min(1, limits.MaxFailuresPerDestination / codes);
        if (Math.Max(perCode, perDestination) <= MaxGuessProbability)
        {
            return false;
        }

        OtpLog.GuessableCodes(logger, limits.CodeLength, limits.MaxVerifyAttempts, limits.MaxFailuresPerDestination, perCode, perDestination, MaxGuessProbability);
        return true;
    }
}
