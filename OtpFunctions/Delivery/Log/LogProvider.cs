using Microsoft.Extensions.Hosting;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Delivery.Log;

/// <summary>Writes the message, code included, to the application log. Development only.</summary>
public sealed class LogProvider : IDeliveryProvider
{
    private readonly ILogger<LogProvider> logger;

    public LogProvider(IHostEnvironment environment, ILogger<LogProvider> logger)
    {
        // Options validation refuses this already; the guard keeps a hand-wired host honest too.
        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException("The Log delivery provider is only allowed in Development.");
        }

        this.logger = logger;
    }

    public string Name => "log";

    public Task<DeliveryOutcome> SendAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        OtpLog.CodeForDevelopment(logger, request.Channel, request.MaskedTo, request.Message.Text);
        return Task.FromResult(DeliveryOutcome.Sent($"log-{request.OperationId:N}"));
    }
}
