using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OtpFunctions.Delivery;
using OtpFunctions.Delivery.Log;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Delivery;

public sealed class LogProviderTests
{
    [Fact]
    public async Task LogsMaskedDestinationAndTextGivenDevelopment()
    {
        var logger = new ListLogger<LogProvider>();
        var provider = new LogProvider(TestEnvironments.Named(Environments.Development), logger);

        var outcome = await provider.SendAsync(DeliveryTestData.Sms(), CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Sent, outcome.Kind);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Contains("+1415*****00", entry.Message, StringComparison.Ordinal);
        Assert.Contains(DeliveryTestData.Code, entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(DeliveryTestData.Phone, entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThrowsGivenProduction() =>
        Assert.Throws<InvalidOperationException>(() => new LogProvider(TestEnvironments.Named(Environments.Production), new ListLogger<LogProvider>()));
}
