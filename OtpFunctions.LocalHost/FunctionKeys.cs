using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Functions.Worker;

namespace OtpFunctions.LocalHost;

/// <summary>
/// The host key check the Functions host applies to <c>Function</c>- and <c>Admin</c>-level routes: the key in
/// <c>x-functions-key</c> or <c>?code=</c>, else 401. With <c>FUNCTIONS_HOST_KEY</c> set the local host requires it as
/// the real host does; without one it skips the check as Core Tools do, which is safe only on loopback, so it refuses
/// to start listening anywhere else.
/// </summary>
public sealed class FunctionKeys(string? key)
{
    public const string Setting = "FUNCTIONS_HOST_KEY";

    private readonly byte[]? expected = string.IsNullOrEmpty(key) ? null : Encoding.UTF8.GetBytes(key);

    public static bool NeedsKey(HttpTriggerAttribute trigger) => trigger.AuthLevel is AuthorizationLevel.Function or AuthorizationLevel.Admin or AuthorizationLevel.System;

    public bool Allows(HttpRequest request)
    {
        if (expected is null)
        {
            return true;
        }

        var presented = request.Headers["x-functions-key"].ToString() is { Length: > 0 } header ? header : request.Query["code"].ToString();
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), expected);
    }

    /// <summary>Fails start-up when key-guarded routes would be open beyond loopback.</summary>
    public void EnsureSafe(IEnumerable<string> urls, IEnumerable<string> guardedFunctions)
    {
        var guarded = guardedFunctions.ToArray();
        var exposed = urls.Where(url => !IsLoopback(url)).ToArray();
        if (expected is null && guarded.Length > 0 && exposed.Length > 0)
        {
            throw new InvalidOperationException(
                $"{string.Join(", ", guarded)} need a function key, and the local host would listen on {string.Join(", ", exposed)} beyond loopback: set {Setting} (then send it as x-functions-key), or listen on 127.0.0.1.");
        }
    }

    private static bool IsLoopback(string url)
    {
        var host = url.Split("://", 2) is [_, var rest] ? rest : url;
        host = host.Split('/')[0];
        host = host.StartsWith('[') ? host[1..host.IndexOf(']', StringComparison.Ordinal)] : host.Split(':')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
