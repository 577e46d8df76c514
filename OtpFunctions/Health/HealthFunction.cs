using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OtpFunctions.Delivery;
using OtpFunctions.Http;
using OtpFunctions.Storage;

namespace OtpFunctions.Health;

/// <summary><c>GET /api/health</c>: one point read proves storage answers.</summary>
public sealed class HealthFunction(OtpStorage storage, DeliveryChannels channels)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    [Function("Health")]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await storage.Table.GetEntityIfExistsAsync<TableEntity>("health", "probe", select: ["PartitionKey"], cancellationToken: timeout.Token);
            return ApiResult.Ok(new HealthView("ok", Channels()));
        }
        catch (Exception exception) when (ApiGuard.IsStorageFault(exception) || exception is OperationCanceledException)
        {
            return new ApiResult(StatusCodes.Status503ServiceUnavailable, new HealthView("unavailable", Channels()), TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>A channel deployed without a provider shows as <c>not_configured</c>, so an operator sees why its sends are refused.</summary>
    private Dictionary<string, string> Channels() =>
        Enum.GetValues<Channel>().ToDictionary(ChannelNames.ToWire, channel => channels.IsConfigured(channel) ? "configured" : "not_configured");

    private sealed record HealthView(string Status, Dictionary<string, string> Channels);
}
