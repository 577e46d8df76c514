using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OtpFunctions.Tests.Support;

/// <summary>
/// An Entra External ID tenant look-alike on 127.0.0.1: serves its OpenID metadata and signing keys the way
/// <c>{tenant}.ciamlogin.com/{tenant id}/v2.0</c> does, counts how often they are read, and mints the access
/// tokens Entra's custom extensions service sends (RS256, <c>azp</c> = Entra's extensions app).
/// </summary>
public sealed class FakeEntraTenant : IAsyncDisposable
{
    public const string ExtensionAppId = "00001111-aaaa-2222-bbbb-3333cccc4444";
    public const string EntraExtensionsAppId = "99045fe1-7639-4a75-9d4a-577b6ca3810f";

    private static readonly string[] SigningAlgorithms = ["RS256"];
    private static readonly string[] ResponseTypes = ["code", "id_token"];
    private static readonly string[] SubjectTypes = ["pairwise"];

    private readonly List<RsaSecurityKey> published = [NewKey()];
    private WebApplication? app;
    private int metadataReads;
    private int keyReads;

    public string TenantId { get; } = Guid.NewGuid().ToString();

    public string Authority { get; private set; } = "";

    public int MetadataReads => Volatile.Read(ref metadataReads);

    public int KeyReads => Volatile.Read(ref keyReads);

    /// <summary>The key new tokens are signed with: the last one published.</summary>
    public RsaSecurityKey SigningKey => published[^1];

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        app = builder.Build();
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) =>
        {
            Interlocked.Increment(ref metadataReads);
            return tenant == TenantId
                ? Results.Json(new Dictionary<string, object>
                {
                    ["issuer"] = Authority,
                    ["jwks_uri"] = $"{BaseAddress}/{TenantId}/discovery/v2.0/keys",
                    ["authorization_endpoint"] = $"{Authority.Replace("/v2.0", "", StringComparison.Ordinal)}/oauth2/v2.0/authorize",
                    ["token_endpoint"] = $"{Authority.Replace("/v2.0", "", StringComparison.Ordinal)}/oauth2/v2.0/token",
                    ["id_token_signing_alg_values_supported"] = SigningAlgorithms,
                    ["response_types_supported"] = ResponseTypes,
                    ["subject_types_supported"] = SubjectTypes,
                })
                : Results.NotFound();
        });
        app.MapGet("/{tenant}/discovery/v2.0/keys", () =>
        {
            Interlocked.Increment(ref keyReads);
            List<RsaSecurityKey> keys;
            lock (published)
            {
                keys = [.. published];
            }

            var jwks = keys.Select(key => JsonWebKeyConverter.ConvertFromRSASecurityKey(key)).Select(jwk => new
            {
                kty = jwk.Kty,
                use = "sig",
                kid = jwk.Kid,
                n = jwk.N,
                e = jwk.E,
            });
            return Results.Json(new { keys = jwks });
        });
        await app.StartAsync();
        Authority = $"{BaseAddress}/{TenantId}/v2.0";
    }

    private string BaseAddress => app!.Urls.Single().TrimEnd('/');

    /// <summary>Publishes a new key and signs with it from now on, as Entra does when it rolls its keys.</summary>
    public void RollKeys()
    {
        lock (published)
        {
            published.Add(NewKey());
        }
    }

    /// <summary>A token as Entra's extensions service sends it; each parameter spoils one property for a negative test.</summary>
    public string Token(
        string? audience = null,
        string? issuer = null,
        string? authorizedParty = null,
        DateTime? expires = null,
        SecurityKey? signingKey = null,
        bool useAppIdClaim = false,
        bool withoutAuthorizedParty = false)
    {
        var now = DateTime.UtcNow;
        var expiry = expires ?? now.AddHours(1);
        var claims = new Dictionary<string, object>
        {
            ["tid"] = TenantId,
            ["sub"] = Guid.NewGuid().ToString(),
            ["ver"] = "2.0",
        };
        if (!withoutAuthorizedParty)
        {
            claims[useAppIdClaim ? "appid" : "azp"] = authorizedParty ?? EntraExtensionsAppId;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Authority,
            Audience = audience ?? ExtensionAppId,
            Claims = claims,
            IssuedAt = expiry.AddHours(-1),
            NotBefore = expiry.AddHours(-1),
            Expires = expiry,
            SigningCredentials = new SigningCredentials(signingKey ?? SigningKey, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>The documented request payload (Entra's OnOtpSend event reference), for one address and code.</summary>
    public string Event(string email, string code, string locale = "en-us") => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["type"] = "microsoft.graph.authenticationEvent.emailOtpSend",
        ["source"] = $"/tenants/{TenantId}/applications/bbbbbbbb-cccc-dddd-2222-333333333333",
        ["data"] = new Dictionary<string, object>
        {
            ["@odata.type"] = "microsoft.graph.onOtpSendCalloutData",
            ["otpContext"] = new { identifier = email, oneTimeCode = code },
            ["tenantId"] = TenantId,
            ["authenticationEventListenerId"] = "00001111-aaaa-2222-bbbb-3333cccc4444",
            ["customAuthenticationExtensionId"] = "11112222-bbbb-3333-cccc-4444dddd5555",
            ["authenticationContext"] = new
            {
                correlationId = Guid.NewGuid(),
                client = new { ip = "192.168.0.0", locale, market = locale },
                protocol = "OAUTH2.0",
                requestType = "signUp",
                clientServicePrincipal = new { id = "aaaaaaaa-bbbb-cccc-1111-222222222222", appId = "bbbbbbbb-cccc-dddd-2222-333333333333", appDisplayName = "My Test application", displayName = "My Test application" },
                resourceServicePrincipal = new { id = "aaaaaaaa-bbbb-cccc-1111-222222222222", appId = "bbbbbbbb-cccc-dddd-2222-333333333333", appDisplayName = "My Test application", displayName = "My Test application" },
            },
        },
    });

    public static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }
}
