using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using OtpFunctions.Configuration;

namespace OtpFunctions.Http;

/// <summary>
/// Finds the caller's address. <c>X-Forwarded-For</c> is believed only as far back as a chain of trusted
/// proxies reaches: the right-most address not added by a trusted proxy is the client.
/// </summary>
public sealed class ClientIp(IOptions<OtpOptions> options)
{
    private readonly IPNetwork[] trusted = options.Value.TrustedProxies.Select(ParseNetwork).ToArray();

    /// <summary>Who an address stands for in budgets and idempotency scopes: an IPv6 client is its /64 (one subscriber gets a whole /64, and must not get 2^64 budgets).</summary>
    public static string SubscriberKey(string clientIp)
    {
        if (!IPAddress.TryParse(clientIp, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || address.IsIPv4MappedToIPv6)
        {
            return clientIp;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    public string? Resolve(HttpRequest request)
    {
        if (request.HttpContext.Connection.RemoteIpAddress is not { } connected)
        {
            return null;
        }

        var remote = Unmapped(connected);
        return (IsTrusted(remote) ? ClientBehindProxies(remote, request.Headers["X-Forwarded-For"]) : remote).ToString();
    }

    /// <summary>Walks <c>X-Forwarded-For</c> from the right for as long as each address was added by a trusted proxy.</summary>
    private IPAddress ClientBehindProxies(IPAddress remote, StringValues forwardedFor)
    {
        var hops = forwardedFor.SelectMany(value => (value ?? "").Split(',')).Select(hop => hop.Trim()).ToArray();
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            if (!TryParseHop(hops[i], out var hop))
            {
                // Garbage in the chain: stop believing it and fall back to the last address we could.
                break;
            }

            remote = hop;
            if (!IsTrusted(hop))
            {
                break;
            }
        }

        return remote;
    }

    /// <summary>An address, or "address:port" as some proxies (Application Gateway) append it.</summary>
    private static bool TryParseHop(string text, [NotNullWhen(true)] out IPAddress? hop)
    {
        var parsed = IPAddress.TryParse(text, out var address) ? address : IPEndPoint.TryParse(text, out var endPoint) ? endPoint.Address : null;
        hop = parsed is null ? null : Unmapped(parsed);
        return hop is not null;
    }

    private static IPAddress Unmapped(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private bool IsTrusted(IPAddress address) => trusted.Any(network => network.Contains(address));

    private static IPNetwork ParseNetwork(string text) =>
        IPNetwork.TryParse(text, out var network) ? network : new IPNetwork(IPAddress.Parse(text), IPAddress.Parse(text).GetAddressBytes().Length * 8);
}
