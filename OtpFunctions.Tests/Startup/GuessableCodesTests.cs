using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpFunctions.Configuration;
using OtpFunctions.Security;
using OtpFunctions.Startup;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Startup;

/// <summary>Outside Development, a code length and attempt limits that make codes easy to guess are warned about at start-up.</summary>
public sealed class GuessableCodesTests
{
    [Theory]
    [InlineData("Production", 4, 100, 100, true)]   // 1 in 100 per code
    [InlineData("Production", 4, 5, 20, true)]      // 1 in 500 per destination and failure window
    [InlineData("Production", 6, 100, 100, false)]  // NIST's floor: exactly 1 in 10,000
    [InlineData("Production", 6, 5, 20, false)]     // the defaults
    [InlineData("Development", 4, 100, 100, false)]
    public async Task WarnsOutsideDevelopmentGivenGuessableCodes(string environment, int codeLength, int attempts, int failures, bool warned)
    {
        var logger = new ListLogger<StartupChecks>();
        var limits = new OtpOptions { CodeLength = codeLength, MaxVerifyAttempts = attempts, MaxFailuresPerDestination = failures };
        var checks = new StartupChecks(Secrets(), Options.Create(limits), TestEnvironments.Named(environment), logger);

        await checks.StartAsync(CancellationToken.None);

        var warning = logger.Entries.Where(entry => entry.Level == LogLevel.Warning && entry.Message.StartsWith("Codes are easy to guess", StringComparison.Ordinal)).ToList();
        Assert.Equal(warned ? 1 : 0, warning.Count);
        if (warned)
        {
            Assert.Contains($"Otp:CodeLength={codeLength}", warning[0].Message, StringComparison.Ordinal);
            Assert.Contains($"Otp:MaxVerifyAttempts={attempts}", warning[0].Message, StringComparison.Ordinal);
        }
    }

    private static OtpSecrets Secrets() => OtpSecrets.Create(new SecretOptions
    {
        Pepper = Convert.ToBase64String(new byte[32]),
        EncryptionKey = Convert.ToBase64String(new byte[32]),
        SigningKey = Convert.ToBase64String(new byte[32]),
    });
}
