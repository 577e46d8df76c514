using Microsoft.Extensions.Logging;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Tests.Telemetry;

/// <summary>The worker's standard output, which the Functions host logs as Host.Function.Console: start-up lines only.</summary>
public sealed class HostConsoleLoggerProviderTests
{
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();

    [Fact]
    public void WritesOurLinesOutsideInvocationsWithLevelCategoryAndEventId()
    {
        using var factory = Factory();
        OtpLog.ProvidersReady(factory.CreateLogger("OtpFunctions.Delivery.DeliveryStartupCheck"), "acs", "acs", "built-ins only");

        Assert.Equal("info: OtpFunctions.Delivery.DeliveryStartupCheck[2012] Delivery providers: SMS via acs, email via acs; templates from built-ins only" + Environment.NewLine, output.ToString());
        Assert.Empty(error.ToString());
    }

    [Theory]
    [InlineData("faas.invocation_id")]
    [InlineData(InvocationLogScope.InvocationIdKey)]
    public void LeavesLinesInsideInvocationsToTheHostsOwnForwarding(string key)
    {
        using var factory = Factory();
        var logger = factory.CreateLogger("OtpFunctions.Sending.CodeIssuer");
        using (logger.BeginScope(new[] { new KeyValuePair<string, object>(key, "an-invocation") }))
        {
            OtpLog.CodeIssued(logger, "id", "+1415*****00", "login", "anonymous", false);
        }

        Assert.Empty(output.ToString());
    }

    [Fact]
    public void WritesOtherLibrariesOnlyFromWarningAndErrorsToStandardErrorOnOneLine()
    {
        using var factory = Factory();
        var hosting = factory.CreateLogger("Microsoft.Extensions.Hosting.Internal.Host");
        var failure = new InvalidOperationException("outer", new TimeoutException("inner\nline"));
        hosting.Log(LogLevel.Information, new EventId(1), "Hosting starting", null, (state, _) => state);
        hosting.Log(LogLevel.Critical, new EventId(11), "Hosting failed to start", failure, (state, _) => state);

        Assert.Empty(output.ToString());
        Assert.Equal(
            "crit: Microsoft.Extensions.Hosting.Internal.Host[11] Hosting failed to start | System.InvalidOperationException: outer ---> System.TimeoutException: inner line" + Environment.NewLine,
            error.ToString());
    }

    private ILoggerFactory Factory() =>
        LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new HostConsoleLoggerProvider(output, error)));
}
