using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OtpFunctions.Http;

namespace OtpFunctions.Sessions;

/// <summary>
/// <c>GET /api/.well-known/openid-configuration</c>: the issuer and where its keys are, so JWT middleware
/// (ASP.NET Core's <c>Authority</c>, for one) validates session tokens from one URL. Served whenever tokens are ES256
/// (api.md): with an HS256 secret there are no public keys to point at. Its issuer is always the tokens' <c>iss</c>;
/// when <c>Otp:Sessions:Issuer</c> is a name rather than this deployment's URL, <c>jwks_uri</c> is taken from the
/// request, which .NET's and jose's clients accept, while strict OpenID clients want the issuer to be the URL.
/// </summary>
public sealed class OpenIdConfigurationFunction(SessionTokens tokens)
{
    private const string DiscoveryPath = "openid-configuration";

    [Function("OpenIdConfiguration")]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/openid-configuration")] HttpRequest request)
    {
        if (!tokens.SignsWithPublicKey)
        {
            return ApiResult.From(new ApiError(404, "not_found", "Session tokens are signed with a shared secret (HS256), which other backends must not hold; configure a PEM P-256 Otp:Secrets:SigningKey (ES256) to publish discovery and a key set."));
        }

        var jwksUri = tokens.IssuerUrl is null ? KeysBesideThisDocument(request) : tokens.Issuer + "/.well-known/jwks.json";
        return ApiResult.Ok(new DiscoveryView(tokens.Issuer, jwksUri));
    }

    private static string KeysBesideThisDocument(HttpRequest request)
    {
        var path = (request.PathBase + request.Path).Value ?? "";
        var wellKnown = path.EndsWith(DiscoveryPath, StringComparison.Ordinal) ? path[..^DiscoveryPath.Length] : "/api/.well-known/";
        return $"{request.Scheme}://{request.Host}{wellKnown}jwks.json";
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
