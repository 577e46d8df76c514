using Microsoft.Extensions.Hosting;

namespace OtpFunctions.Entra;

/// <summary>
/// Reads the tenant's metadata and keys when the host starts, so the first sign-in does not spend Entra's
/// two-second budget on the fetch. In the background: an unreachable tenant must not stop the host.
/// </summary>
internal sealed class EntraMetadataWarmUp(EntraTokenValidator validator) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => validator.WarmUpAsync(stoppingToken);
}
