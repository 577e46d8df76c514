using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OtpFunctions.Http;

namespace OtpFunctions.Sessions;

/// <summary><c>GET /api/.well-known/jwks.json</c>: the public keys that verify ES256 session tokens.</summary>
public sealed class JwksFunction(SessionTokens tokens)
{
    [Function("Jwks")]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/jwks.json")] HttpRequest request)
    {
        var keys = tokens.PublicKeys();
        return keys.Count == 0
            ? ApiResult.From(new ApiError(404, "not_found", "Session tokens are signed with a shared secret (HS256); configure a PEM P-256 Otp:Secrets:SigningKey to publish a key set."))
            : ApiResult.Ok(new JwksView(keys));
    }

    private sealed record JwksView(IReadOnlyList<IDictionary<string, string>> Keys);
}
