using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Http;

namespace OtpFunctions.Verifying;

/// <summary><c>POST /api/otp/{id}/verify</c>: bind, call the verifier, map the result.</summary>
public sealed class VerifyFunction(CodeVerifier verifier, ApiGuard guard, IOptions<OtpOptions> options)
{
    [Function("VerifyCode")]
    public Task<IActionResult> Verify([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "otp/{id}/verify")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync("verify", async () =>
        {
            if (!ChallengeId.TryParse(id, out _))
            {
                return ApiResult.From(ApiError.NotFound());
            }

            var body = await JsonBody.ReadAsync(request, cancellationToken);
            var code = body.Error is null ? VerifyRequest.Parse(body.Value!, options.Value.CodeLength) : body.Error;
            return code.Error is { } error
                ? ApiResult.From(error)
                : ApiResult.From(await verifier.VerifyAsync(id, code.Value!, cancellationToken), ApiResult.Ok);
        },
        cancellationToken);
}
