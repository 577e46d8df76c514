using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OtpFunctions.Delivery;
using OtpFunctions.Http;

namespace OtpFunctions.Entra;

/// <summary>
/// <c>POST /api/entra/otp-send</c>: Microsoft Entra External ID's custom email OTP provider (the OnOtpSend /
/// <c>emailOtpSend</c> custom authentication extension). Anonymous at the Functions level because Entra
/// authenticates with its own bearer token, which is checked here before the body is read.
/// </summary>
public sealed class EntraOtpSendFunction(EntraTokenValidator tokens, EntraOtpRelay relay, DeliveryChannels channels, ApiGuard guard, IOptions<EntraOptions> options)
{
    [Function("EntraOtpSend")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "entra/otp-send")] HttpRequest request, CancellationToken cancellationToken) =>
        guard.RunAsync("entra-otp-send", async () =>
        {
            if (await RefusalAsync(request, cancellationToken) is { } refusal)
            {
                return ApiResult.From(refusal);
            }

            var body = await JsonBody.ReadAsync(request, OtpSendEvent.MaxBytes, cancellationToken);
            var parsed = body.Error is null ? OtpSendEvent.Parse(body.Value!.Root) : body.Error;
            if (parsed.Error is { } error)
            {
                return ApiResult.From(error);
            }

            // The request is fine but we cannot deliver it: an error to Entra, which may then send its own email.
            if (!channels.IsConfigured(Channel.Email))
            {
                return ApiResult.From(ApiError.Unavailable() with { Message = "The email channel is not configured on this deployment." });
            }

            // Answered once the sealed code is on the delivery queue: a storage failure before that is a 503 from the
            // guard, never the "continue" below, so Entra never believes an email is on its way when it is not.
            return await relay.RelayAsync(parsed.Value!, cancellationToken) is { } spent
                ? ApiResult.From(ApiError.RateLimited(spent.RetryAfter, "The service's email budget for this window is spent; Entra may send its own email."))
                : ApiResult.Ok(OnOtpSendResponse.ContinueWithDefaultBehavior);
        },
        cancellationToken);

    /// <summary>Checked before the body is read: the extension is configured, and Entra issued the bearer token.</summary>
    private async Task<ApiError?> RefusalAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return new ApiError(404, "not_found", "The Entra custom email OTP provider is not configured (Otp:Entra).");
        }

        return await tokens.CheckAsync(request.Headers.Authorization, cancellationToken) switch
        {
            EntraTokenCheck.Refused => new ApiError(401, "unauthorized", "The bearer token is not one Entra issued to this extension."),
            // Not the caller's fault and not final: Entra treats it as an error (and may fall back to its own email).
            EntraTokenCheck.MetadataUnavailable => ApiError.Unavailable() with { Message = "The tenant's signing keys cannot be read right now; retry shortly." },
            _ => null,
        };
    }
}

/// <summary>The documented answer: <c>microsoft.graph.OnOtpSendResponseData</c> with one <c>continueWithDefaultBehavior</c> action.</summary>
public sealed record OnOtpSendResponse([property: JsonPropertyName("data")] OnOtpSendResponseData Data)
{
    public const string ResponseDataType = "microsoft.graph.OnOtpSendResponseData";
    public const string ContinueActionType = "microsoft.graph.OtpSend.continueWithDefaultBehavior";

    public static readonly OnOtpSendResponse ContinueWithDefaultBehavior = new(new OnOtpSendResponseData(ResponseDataType, [new OnOtpSendAction(ContinueActionType)]));
}

public sealed record OnOtpSendResponseData(
    [property: JsonPropertyName("@odata.type")] string ODataType,
    [property: JsonPropertyName("actions")] IReadOnlyList<OnOtpSendAction> Actions);

public sealed record OnOtpSendAction([property: JsonPropertyName("@odata.type")] string ODataType);
