using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using OtpFunctions.Callers;
using OtpFunctions.Configuration;
using OtpFunctions.Delivery;
using OtpFunctions.Http;
using OtpFunctions.Sending;
using OtpFunctions.Verifying;

namespace OtpFunctions.Challenges;

/// <summary>The challenge routes of api.md: bind, call the service, map the result.</summary>
public sealed class ChallengeFunctions(CodeIssuer issuer, CodeVerifier verifier, ChallengeStatusService status, CallerGate callers, ApiGuard guard, DeliveryChannels channels, IOptions<OtpOptions> options)
{
    [Function("SendCode")]
    public Task<IActionResult> Send([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "otp")] HttpRequest request, CancellationToken cancellationToken) =>
        guard.RunAsync("send", async () =>
        {
            var body = await JsonBody.ReadAsync(request, cancellationToken);
            var parsed = body.Error is null ? SendRequest.Parse(body.Value!) : body.Error;
            if (parsed.Error is { } error)
            {
                return ApiResult.From(error);
            }

            if (!channels.IsConfigured(parsed.Value!.Destination.Channel))
            {
                return ApiResult.From(ApiError.InvalidRequest(DeliveryChannels.NotConfiguredMessage(parsed.Value.Destination.Channel)));
            }

            string? key = request.Headers["Idempotency-Key"];
            if (key is not null && !IdempotencyStore.IsHighEntropy(key))
            {
                return ApiResult.From(ApiError.InvalidRequest($"Idempotency-Key must be a UUID or a similar random value (22-{IdempotencyStore.MaxKeyLength} characters)."));
            }

            var caller = await callers.AdmitAsync(request, parsed.Value!.Purpose, cancellationToken);
            return caller.Error is { } refused
                ? ApiResult.From(refused)
                : ApiResult.From(await issuer.SendAsync(parsed.Value!, caller.Value!, key, cancellationToken), ApiResult.Accepted);
        },
        cancellationToken);

    [Function("ResendCode")]
    public Task<IActionResult> Resend([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "otp/{id}/resend")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync("resend", async () =>
        {
            var caller = await callers.AdmitAsync(request, purpose: null, cancellationToken);
            return caller.Error is { } refused
                ? ApiResult.From(refused)
                : ApiResult.From(await issuer.ResendAsync(id, caller.Value!, cancellationToken), ApiResult.Accepted);
        },
        cancellationToken);

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

    [Function("GetChallenge")]
    public Task<IActionResult> Status([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "otp/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync("status", async () => ApiResult.From(await status.GetAsync(id, cancellationToken), ApiResult.Ok), cancellationToken);

    [Function("CancelChallenge")]
    public Task<IActionResult> Cancel([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "otp/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync("cancel", async () => ApiResult.From(await status.CancelAsync(id, cancellationToken), _ => ApiResult.NoContent()), cancellationToken);
}
