using Microsoft.Extensions.Logging;

namespace OtpFunctions.Delivery;

// Interim providers until the template engine and real providers land.
internal sealed class PlainMessageRenderer : IMessageRenderer
{
    public RenderedMessage Render(Channel channel, string purpose, string locale, string code, TimeSpan lifetime) =>
        new($"Your {purpose} code", $"Your {purpose} code is {code}. It expires in {(int)lifetime.TotalMinutes} minutes.", null);
}

internal sealed partial class LogDeliveryProvider(ILogger<LogDeliveryProvider> logger) : IDeliveryProvider
{
    public string Name => "log";

    public Task<DeliveryOutcome> SendAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        CodeLogged(logger, request.Channel, request.MaskedTo, request.Message.Text);
        return Task.FromResult(DeliveryOutcome.Sent("log-" + request.OperationId.ToString("N")));
    }

    [LoggerMessage(2100, LogLevel.Information, "Development delivery by {Channel} to {MaskedTo}: {Text}")]
    private static partial void CodeLogged(ILogger logger, Channel channel, string maskedTo, string text);
}
