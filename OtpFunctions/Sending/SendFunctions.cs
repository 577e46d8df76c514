using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OtpFunctions.Callers;
using OtpFunctions.Delivery;
using OtpFunctions.Http;

namespace OtpFunctions.Sending;

/// <summary><c>POST /api/otp</c> and <c>POST /api/otp/{id}/resend</c>: bind, admit the caller, call the issuer, map the result.</summary>
public sealed class SendFunctions(IdempotentSend sender, CodeIssuer issuer, CallerGate callers, ApiGuard guard, DeliveryChannels channels)
{
    [Function("SendCode")]
    public Task<IActionResult> Send([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "otp")] HttpRequest request, CancellationToken cancellationToken) =>
        guard.RunAsync("send", async () =>
        {
            var parsed = await ParseAsync(request, cancellationToken);
            if (parsed.Error is { } error)
            {
                return ApiResult.From(error);
            }

            var (send, key) = parsed.Value;
            var caller = await callers.AdmitAsync(request, send.Purpose, cancellationToken);
            return caller.Error is { } refused
                ? ApiResult.From(refused)
                : ApiResult.From(await sender.SendAsync(send, caller.Value!, key, cancellationToken), ApiResult.Accepted);
        },
        cancellationToken);

    [Function("ResendCode")]
    public Task<IActionResult> Resend([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "otp/{id}/resend")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync("resend", async () =>
        {
            var switchTo = await ParseResendAsync(request, cancellationToken);
            if (switchTo.Error is { } invalid)
            {
                return ApiResult.From(invalid);
            }

            var caller = await callers.AdmitAsync(request, purpose: null, cancellationToken);
            return caller.Error is { } refused
                ? ApiResult.From(refused)
                : ApiResult.From(await issuer.ResendAsync(id, caller.Value!, switchTo.Value, cancellationToken), ApiResult.Accepted);
        },
        cancellationToken);

    /// <summary>
    /// The optional resend body: no body (or <c>{}</c>) keeps the channel; <c>{"channel": "voice"}</c> switches to
    /// another phone channel configured here ("call me instead"). Whether the challenge may switch is the issuer's call.
    /// </summary>
    private async Task<Result<Channel?>> ParseResendAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadOptionalAsync(request, cancellationToken);
        if (body.Error is { } invalid)
        {
            return invalid;
        }

        var name = body.Value is { } json ? json.GetString("channel", required: false, maxLength: 16) : new Result<string?>(null, null);
        if (name.Error is { } error)
        {
            return error;
        }

        if (name.Value is null)
        {
            return new Result<Channel?>(null, null);
        }

        if (!ChannelNames.TryParse(name.Value, out var channel) || !channel.IsPhone())
        {
            return ApiError.InvalidRequest($"channel must be {ChannelNames.Quoted(ChannelNames.PhoneChannels)}: a resend switches between the phone channels only.");
        }

        return channels.IsConfigured(channel) ? channel : ApiError.InvalidRequest(DeliveryChannels.NotConfiguredMessage(channel));
    }

    /// <summary>The body, its channel configured here, and the Idempotency-Key if one was sent: checked before the caller is admitted.</summary>
    private async Task<Result<(SendRequest Send, string? IdempotencyKey)>> ParseAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(request, cancellationToken);
        var parsed = body.Error is null ? SendRequest.Parse(body.Value!) : body.Error;
        if (parsed.Error is { } error)
        {
            return error;
        }

        // A fallback on a channel deployed without a provider would only fail in its turn: refused now, like the first channel.
        var send = parsed.Value!;
        foreach (var channel in send.Fallback.Prepend(send.Destination.Channel).Where(c => !channels.IsConfigured(c)))
        {
            return ApiError.InvalidRequest(DeliveryChannels.NotConfiguredMessage(channel));
        }

        string? key = request.Headers["Idempotency-Key"];
        if (key is not null && !IdempotencyStore.IsHighEntropy(key))
        {
            return ApiError.InvalidRequest($"Idempotency-Key must be a UUID or a similar random value (22-{IdempotencyStore.MaxKeyLength} characters).");
        }

        return (send, key);
    }
}
