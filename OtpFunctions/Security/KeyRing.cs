using System.Security.Cryptography;
using System.Text;

namespace OtpFunctions.Security;

/// <summary>A current key and the previous ones, each known by a short id derived from the key itself.</summary>
public sealed class KeyRing
{
    private readonly Dictionary<string, byte[]> byId = new(StringComparer.Ordinal);

    public KeyRing(byte[] current, IEnumerable<byte[]> previous)
    {
        Current = current;
        CurrentId = IdOf(current);
        byId[CurrentId] = current;
        foreach (var key in previous)
        {
            byId.TryAdd(IdOf(key), key);
        }
    }

    public byte[] Current { get; }

    public string CurrentId { get; }

    public byte[]? Find(string id) => byId.GetValueOrDefault(id);

    /// <summary>Eight url-safe characters: names a key without revealing anything useful about it.</summary>
    public static string IdOf(byte[] key) =>
        Base64Url.Encode(SHA256.HashData([.. Encoding.UTF8.GetBytes("otp-key-id\n"), .. key]).AsSpan(0, 6));
}
