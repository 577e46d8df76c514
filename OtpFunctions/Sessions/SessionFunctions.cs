using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OtpFunctions.Http;

namespace OtpFunctions.Sessions;

/// <summary>Check and revoke the session a verified code bought.</summary>
public sealed class SessionFunctions(SessionService sessions, ApiGuard guard)
{
    [Function("GetSession")]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "session")] HttpRequest request, CancellationToken cancellationToken) =>
        guard.RunAsync("session", async () => ApiResult.From(await sessions.GetAsync(request.Headers.Authorization, cancellationToken), ApiResult.Ok), cancellationToken);

    [Function("RevokeSession")]
    public Task<IActionResult> Revoke([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "session")] HttpRequest request, CancellationToken cancellationToken) =>
        guard.RunAsync("revoke", async () => ApiResult.From(await sessions.RevokeAsync(request.Headers.Authorization, cancellationToken), _ => ApiResult.NoContent()), cancellationToken);
}
