using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OtpFunctions.Infrastructure;

namespace OtpFunctions.Sessions;

/// <summary>
/// <c>GET /api/.well-known/openid-configuration</c>: the issuer and where its keys are, so JWT middleware
/// (ASP.NET Core's <c>Authority</c>, for one) validates session tokens from one URL. Served only when it
/// can be true: the issuer must be this deployment's URL and the tokens ES256, or a client would fetch a
/// document whose issuer or keys can never match a token.
/// </summary>
public sealed class OpenIdConfigurationFunction(SessionTokens tokens)
{
    [Function("OpenIdConfiguration")]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/openid-configuration")] HttpRequest request)
    {
        if (tokens.IssuerUrl is null)
        {
            return ApiResult.From(new ApiError(404, "not_found", "Discovery is off: set Otp:Sessions:Issuer to this deployment's public base URL (https://otp.example.com/api)."));
        }

        if (!tokens.SignsWithPublicKey)
        {
            return ApiResult.From(new ApiError(404, "not_found", "Session tokens are signed with a shared secret (HS256), which other backends must not hold; configure a PEM P-256 Otp:Secrets:SigningKey (ES256) to publish discovery and a key set."));
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
