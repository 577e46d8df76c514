using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OtpFunctions.Infrastructure;

namespace OtpFunctions.Sessions;

/// <summary>
/// Issues and validates session JWTs (HS256 with a <c>kid</c>), so backends holding the signing key can
/// check a token offline; the session row decides revocation.
/// </summary>
public sealed class SessionTokens
{
    public const string Issuer = "otp-functions";
    public const string Audience = "otp-functions";

    private readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SymmetricSecurityKey key;
    private readonly SigningCredentials credentials;
    private readonly TimeProvider time;

    public SessionTokens(OtpSecrets secrets, TimeProvider time)
    {
        this.time = time;
        key = new SymmetricSecurityKey(secrets.SigningKey) { KeyId = KeyId(secrets.SigningKey) };
        credentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256);
    }

    public string Issue(SessionRecord session) => handler.CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Audience,
        IssuedAt = session.IssuedAt.UtcDateTime,
        NotBefore = session.IssuedAt.UtcDateTime,
        Expires = session.ExpiresAt.UtcDateTime,
        SigningCredentials = credentials,
        Claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = session.PartitionKey,
            [JwtRegisteredClaimNames.Jti] = session.TokenId,
            ["dst"] = session.Subject,
            ["chn"] = session.Channel.ToString().ToLowerInvariant(),
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
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
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

    private static string KeyId(byte[] signingKey) => Base64Url.Encode(SHA256.HashData(signingKey).AsSpan(0, 8));
}
