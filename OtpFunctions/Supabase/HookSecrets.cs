using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace OtpFunctions.Supabase;

/// <summary>
/// The hook's secrets and the Standard Webhooks check Supabase's requests must pass: <c>webhook-signature</c> holds
/// <c>v1,&lt;base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}"&gt;</c> under one of the secrets, and
/// <c>webhook-timestamp</c> is within five minutes of now, so a request seen once cannot be replayed later.
/// </summary>
public sealed class HookSecrets
{
    /// <summary>The Standard Webhooks libraries' tolerance, both ways: Supabase signs each attempt afresh.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>Short secrets are guessable; Supabase's are 32 bytes.</summary>
    public const int MinKeyBytes = 16;

    // Signatures a header may list: one per secret Supabase signs with, a few during a rotation.
    private const int MaxSignatures = 8;
    private const int MaxIdLength = 256;

    private readonly byte[][] keys;
    private readonly TimeProvider time;

    public HookSecrets(IOptions<SupabaseOptions> options, TimeProvider time)
    {
        keys = options.Value.Enabled && TryParse(options.Value.HookSecret, out var parsed, out _) ? parsed : [];
        this.time = time;
    }

    public HookSignatureCheck Check(IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        var id = headers["webhook-id"].ToString();
        var timestamp = headers["webhook-timestamp"].ToString();
        var signatures = headers["webhook-signature"].ToString();
        if (keys.Length == 0 || id.Length is 0 or > MaxIdLength || signatures.Length == 0
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return HookSignatureCheck.Missing;
        }

        var age = time.GetUtcNow().ToUnixTimeSeconds() - seconds;
        if (age > Tolerance.TotalSeconds || age < -Tolerance.TotalSeconds)
        {
            return HookSignatureCheck.Stale;
        }

        var signed = Signed(id, timestamp, body);
        var expected = keys.Select(key => HMACSHA256.HashData(key, signed)).ToArray();
        return Candidates(signatures).Any(candidate => expected.Any(mac => CryptographicOperations.FixedTimeEquals(mac, candidate)))
            ? HookSignatureCheck.Valid
            : HookSignatureCheck.Mismatch;
    }

    /// <summary>
    /// Reads <c>v1,whsec_&lt;base64&gt;</c> secrets, separated by commas (as api.md writes lists) or <c>|</c> (as
    /// Supabase's own configuration does). The problem names what is wrong, never the value.
    /// </summary>
    public static bool TryParse(string? setting, out byte[][] keys, out string problem)
    {
        var found = new List<byte[]>();
        keys = [];
        problem = "";
        foreach (var token in (setting ?? "").Split([',', '|', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (token == "v1")
            {
                continue;
            }

            if (KeyProblem(token, out var key) is { } tokenProblem)
            {
                problem = tokenProblem;
                return false;
            }

            found.Add(key);
        }

        keys = [.. found];
        problem = keys.Length == 0 ? "must hold the secret Supabase shows for the hook, v1,whsec_<base64>." : "";
        return keys.Length > 0;
    }

    private static string? KeyProblem(string token, out byte[] key)
    {
        key = [];
        if (token.StartsWith("v1a", StringComparison.Ordinal))
        {
            return "holds an asymmetric (v1a) secret: Supabase's HTTP hooks sign with symmetric v1,whsec_<base64> secrets.";
        }

        if (!token.StartsWith("whsec_", StringComparison.Ordinal))
        {
            return "must be Supabase's hook secret(s), v1,whsec_<base64>, comma-separated while rotating.";
        }

        var encoded = token["whsec_".Length..];
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var length))
        {
            return "holds a secret whose part after whsec_ is not standard base64.";
        }

        key = buffer[..length];
        return length < MinKeyBytes ? $"holds a secret shorter than {MinKeyBytes} bytes: generate one in the Supabase dashboard (Authentication > Hooks)." : null;
    }

    private static byte[] Signed(string id, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return signed;
    }

    /// <summary>
    /// The v1 signatures the header lists. The specification separates them with spaces; Supabase Auth joins them
    /// with ", ", so a trailing comma is tolerated.
    /// </summary>
    private static IEnumerable<byte[]> Candidates(string header)
    {
        foreach (var entry in header.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(MaxSignatures))
        {
            var parts = entry.TrimEnd(',').Split(',', 2);
            var buffer = new byte[32];
            if (parts is ["v1", var encoded] && Convert.TryFromBase64String(encoded, buffer, out var length) && length == buffer.Length)
            {
                yield return buffer;
            }
        }
    }
}
