using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OtpFunctions.Http;

namespace OtpFunctions.Sessions;

/// <summary>
/// <c>GET /api/.well-known/openid-configuration</c>: the issuer and where its keys are, so JWT middleware
/// (ASP.NET Core's <c>Authority</c>, for one) validates session tokens from one URL. Served whenever tokens are ES256
/// (api.md): with an HS256 secret there are no public keys to point at. Its issuer is always the tokens' <c>iss</c>,
/// and it is served only when <c>Otp:Sessions:Issuer</c> is this deployment's URL: with a plain name the only place
/// to point <c>jwks_uri</c> at would be the request's Host header, which whoever sends the request chooses, so a
/// cache or proxy in between could hand backends a key set of an attacker's choosing.
/// </summary>
public sealed class OpenIdConfigurationFunction(SessionTokens tokens)
{
    [Function("OpenIdConfiguration")]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/openid-configuration")] HttpRequest request)
    {
        if (!tokens.SignsWithPublicKey)
        {
            return ApiResult.From(new ApiError(404, "not_found", "Session tokens are signed with a shared secret (HS256), which other backends must not hold; configure a PEM P-256 Otp:Secrets:SigningKey (ES256) to publish discovery and a key set."));
        }

        if (tokens.IssuerUrl is null)
        {
            return ApiResult.From(new ApiError(404, "not_found", "Discovery needs Otp:Sessions:Issuer to be this deployment's public base URL (https://otp.example.com/api), where jwks_uri then points; the key set itself is at GET /api/.well-known/jwks.json."));
        }

        return ApiResult.Ok(new DiscoveryView(tokens.Issuer, tokens.Issuer + "/.well-known/jwks.json"));
    }

    private sealed record DiscoveryView(
        [property: JsonPropertyName("issuer")] string Issuer,
        [property: JsonPropertyName("jwks_uri")] string JwksUri)
    {
        [JsonPropertyName("id_token_signing_alg_values_supported")]
        public string[] SigningAlgorithms { get; } = ["ES256"];

        [JsonPropertyName("subject_types_supported")]
        public string[] SubjectTypes { get; } = ["public"];

        [JsonPropertyName("claims_supported")]
        public string[] Claims { get; } = ["iss", "aud", "sub", "exp", "nbf", "iat", "jti", "dst", "chn", "pur"];
    }
}
