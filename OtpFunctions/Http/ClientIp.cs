using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OtpFunctions.Configuration;

namespace OtpFunctions.Http;

/// <summary>
/// Finds the caller's address. <c>X-Forwarded-For</c> is believed only as far back as a chain of trusted
/// proxies reaches: the right-most address not added by a trusted proxy is the client.
/// </summary>
public sealed class ClientIp(IOptions<OtpOptions> options)
{
    private readonly IPNetwork[] trusted = options.Value.TrustedProxies.Select(ParseNetwork).ToArray();

    public string? Resolve(HttpRequest request)
    {
        var remote = request.HttpContext.Connection.RemoteIpAddress;
        if (remote is null)
        {
            return null;
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        if (!IsTrusted(remote))
        {
            return remote.ToString();
        }

        var hops = request.Headers["X-Forwarded-For"].SelectMany(value => (value ?? "").Split(',')).Select(hop => hop.Trim()).ToArray();
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            // Some proxies (Application Gateway) append "address:port".
            if (!IPAddress.TryParse(hops[i], out var hop) && !(IPEndPoint.TryParse(hops[i], out var endPoint) && (hop = endPoint.Address) is not null))
            {
                // Garbage in the chain: stop believing it and fall back to the last address we could.
                break;
            }

            if (hop.IsIPv4MappedToIPv6)
            {
                hop = hop.MapToIPv4();
            }

            remote = hop;
            if (!IsTrusted(hop))
            {
                break;
            }
        }

        return remote.ToString();
    }

    private bool IsTrusted(IPAddress address) => trusted.Any(network => network.Contains(address));

    private static IPNetwork ParseNetwork(string text) =>
        IPNetwork.TryParse(text, out var network) ? network : new IPNetwork(IPAddress.Parse(text), IPAddress.Parse(text).GetAddressBytes().Length * 8);
}
