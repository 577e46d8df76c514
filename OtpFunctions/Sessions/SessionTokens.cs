using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OtpFunctions.Configuration;
using OtpFunctions.Security;

namespace OtpFunctions.Sessions;

/// <summary>
/// Issues and validates session JWTs. Each signing key has a <c>kid</c>: the current key signs, every
/// configured key verifies, so keys rotate without logging anyone out. A base64 secret signs HS256; a
/// PEM P-256 key signs ES256 and its public half is published as a JWKS for offline validation.
/// </summary>
public sealed class SessionTokens
{
    private readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SecurityKey[] keys;
    private readonly SigningCredentials credentials;
    private readonly TimeProvider time;
    private readonly SessionTokenOptions names;

    public SessionTokens(OtpSecrets secrets, IOptions<OtpOptions> options, TimeProvider time)
    {
        this.time = time;
        names = options.Value.Sessions;
        keys = secrets.SigningKeys.Select(CreateKey).ToArray();
        credentials = new SigningCredentials(keys[0], keys[0] is ECDsaSecurityKey ? SecurityAlgorithms.EcdsaSha256 : SecurityAlgorithms.HmacSha256);
    }

    public string Issue(SessionRecord session) => handler.CreateToken(new SecurityTokenDescriptor
    {
        Issuer = names.Issuer,
        Audience = names.Audience,
        IssuedAt = session.IssuedAt.UtcDateTime,
        NotBefore = session.IssuedAt.UtcDateTime,
        Expires = session.ExpiresAt.UtcDateTime,
        SigningCredentials = credentials,
        Claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = session.PartitionKey,
            [JwtRegisteredClaimNames.Jti] = session.TokenId,
            ["dst"] = session.Subject,
            ["chn"] = session.Channel.ToWire(),
            ["pur"] = session.Purpose,
        },
    });

    /// <summary>The session's partition and token id if the token is genuine and unexpired; null otherwise.</summary>
    public async Task<(string PartitionKey, string TokenId)?> ValidateAsync(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 4096)
        {
            return null;
        }

        var result = await handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = names.Issuer,
            ValidAudience = names.Audience,
            IssuerSigningKeys = keys,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256, SecurityAlgorithms.EcdsaSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            // The clock is injected so tests can move time; the library would read the system clock.
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } end && now < end && (notBefore is not { } start || now >= start.AddMinutes(-1));
            },
        });
        if (!result.IsValid || !result.Claims.TryGetValue(JwtRegisteredClaimNames.Sub, out var sub) || sub is not string partitionKey || !result.Claims.TryGetValue(JwtRegisteredClaimNames.Jti, out var jti) || jti is not string tokenId)
        {
            return null;
        }

        return (partitionKey, tokenId);
    }

    public string Issuer => names.Issuer;

    /// <summary>The issuer when it is a URL discovery may publish; null while it is a plain name.</summary>
    public Uri? IssuerUrl => names.IssuerUrl;

    /// <summary>True when new tokens are signed ES256, so other backends can check them with the public keys alone.</summary>
    public bool SignsWithPublicKey => credentials.Key is ECDsaSecurityKey;

    /// <summary>The public keys of the ES256 signing keys, as a JWKS document; empty with only HS256 keys.</summary>
    public IReadOnlyList<IDictionary<string, string>> PublicKeys() => keys
        .OfType<ECDsaSecurityKey>()
        .Select(key =>
        {
            var parameters = key.ECDsa.ExportParameters(includePrivateParameters: false);
            return (IDictionary<string, string>)new Dictionary<string, string>
            {
                ["kty"] = "EC",
                ["crv"] = "P-256",
                ["x"] = Base64Url.Encode(parameters.Q.X),
                ["y"] = Base64Url.Encode(parameters.Q.Y),
                ["kid"] = key.KeyId,
                ["use"] = "sig",
                ["alg"] = "ES256",
            };
        })
        .ToList();

    private static SecurityKey CreateKey(string configured)
    {
        if (configured.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(configured);
            return new ECDsaSecurityKey(ecdsa) { KeyId = KeyRing.IdOf(ecdsa.ExportSubjectPublicKeyInfo()) };
        }

        var secret = Convert.FromBase64String(configured);
        return new SymmetricSecurityKey(secret) { KeyId = KeyRing.IdOf(secret) };
    }
}
