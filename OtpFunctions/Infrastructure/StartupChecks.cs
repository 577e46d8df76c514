using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OtpFunctions.Infrastructure;

/// <summary>Resolves the secrets at start-up, so a missing or malformed key stops the host before the first request.</summary>
public sealed class StartupChecks(OtpSecrets secrets, IHostEnvironment environment, ILogger<StartupChecks> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (secrets.Generated)
        {
            OtpLog.DevelopmentSecretsGenerated(logger, $"some of {OtpSecrets.PepperKey}, {OtpSecrets.EncryptionKeyKey}, {OtpSecrets.SigningKeyKey} ({environment.EnvironmentName})");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
