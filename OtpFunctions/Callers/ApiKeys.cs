using System.Security.Cryptography;
using System.Text;

namespace OtpFunctions.Callers;

/// <summary>
/// Finds the server caller an <c>X-Api-Key</c> belongs to. Only SHA-256 hashes are configured; the
/// presented key's hash is compared with every configured hash in constant time, without stopping at a match.
/// </summary>
public sealed class ApiKeys(IOptions<CallerOptions> options)
{
    private readonly (ServerCallerOptions Caller, byte[] Hash)[] keys = options.Value.ApiKeys.Values
        .SelectMany(caller => caller.Sha256.Select(hash => (caller, Convert.FromHexString(hash))))
        .ToArray();

    /// <summary>The caller whose key this is, or null when no configured key matches.</summary>
    public ServerCallerOptions? Find(string presented)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        ServerCallerOptions? found = null;
        foreach (var (caller, expected) in keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                found = caller;
            }
        }

        return found;
    }
}
