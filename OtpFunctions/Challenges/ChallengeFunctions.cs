using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OtpFunctions.Http;

namespace OtpFunctions.Challenges;

/// <summary><c>GET</c> and <c>DELETE /api/otp/{id}</c>: a challenge's status, and its cancel.</summary>
public sealed class ChallengeFunctions(ChallengeStatusService status, ApiGuard guard)
{
    [Function("GetChallenge")]
    public Task<IActionResult> Status([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "otp/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync("status", async () => ApiResult.From(await status.GetAsync(id, cancellationToken), ApiResult.Ok), cancellationToken);

    [Function("CancelChallenge")]
    public Task<IActionResult> Cancel([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "otp/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync("cancel", async () => ApiResult.From(await status.CancelAsync(id, cancellationToken), _ => ApiResult.NoContent()), cancellationToken);
}
