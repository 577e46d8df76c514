using System.Text.Json;
using OtpFunctions.Callers;
using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Http;
using OtpFunctions.Security;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Sending;

/// <summary>
/// <c>POST /api/otp</c> with its <c>Idempotency-Key</c>: the key is claimed before the send, the first answer is
/// recorded and replayed to a retry, and a refused or failed send frees the key so a retry is judged afresh.
/// </summary>
public sealed class IdempotentSend(CodeIssuer issuer, IdempotencyStore idempotency, OtpHasher hasher, IOptions<OtpOptions> options, ILogger<IdempotentSend> logger)
{
    public async Task<Result<ChallengeView>> SendAsync(SendRequest request, Caller caller, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var activity = OtpTelemetry.Source.StartActivity("otp.send");
        activity?.SetTag("otp.channel", request.Destination.Channel.ToWire());
        activity?.SetTag("otp.purpose", request.Purpose);
        activity?.SetTag("otp.caller", caller.Name);
        return idempotencyKey is null
            ? await issuer.SendAsync(request, caller, cancellationToken)
            : await SendOnceAsync(request, caller, idempotencyKey, cancellationToken);
    }

    private async Task<Result<ChallengeView>> SendOnceAsync(SendRequest request, Caller caller, string idempotencyKey, CancellationToken cancellationToken)
    {
        // Scoped to the caller and keyed: another caller's identical key is another record, and the stored key reveals nothing.
        var key = hasher.IdempotencyKey(caller.IdempotencyScope, idempotencyKey);

        // Keyed destination, not the destination itself: the stored fingerprint must not be reversible.
        var fingerprint = IdempotencyStore.Fingerprint(FingerprintParts(request));
        var claim = await idempotency.ClaimAsync(key, fingerprint, options.Value.CodeLifetime, cancellationToken);
        return claim.Kind switch
        {
            IdempotencyClaimKind.Replay => JsonSerializer.Deserialize<ChallengeView>(claim.ResponseJson!, ApiResult.Json)!,
            IdempotencyClaimKind.Mismatch => ApiError.InvalidRequest("Idempotency-Key was already used with a different request body."),
            IdempotencyClaimKind.InProgress => ApiError.RateLimited(TimeSpan.FromSeconds(1), "A request with this Idempotency-Key is still in progress."),
            _ => await SendClaimedAsync(claim, request, caller, cancellationToken),
        };
    }

    private async Task<Result<ChallengeView>> SendClaimedAsync(IdempotencyClaim claim, SendRequest request, Caller caller, CancellationToken cancellationToken)
    {
        Result<ChallengeView> result;
        try
        {
            result = await issuer.SendAsync(request, caller, cancellationToken);
        }
        catch
        {
            await idempotency.AbandonAsync(claim, CancellationToken.None);
            throw;
        }

        if (result.Value is not { } view)
        {
            await idempotency.AbandonAsync(claim, CancellationToken.None);
            return result;
        }

        try
        {
            await idempotency.CompleteAsync(claim, JsonSerializer.Serialize(view, ApiResult.Json), cancellationToken);
        }
        catch (Exception exception) when (ApiGuard.IsStorageFault(exception))
        {
            // The code is on its way: answer it. The key stays claimed, so a retry waits rather than sends twice.
            OtpLog.IdempotencyNotRecorded(logger, view.Id);
        }

        return result;
    }

    /// <summary>
    /// Every phone channel shares a number's key, so the channel and fallback join the parts; an SMS or email send
    /// without fallback keeps the parts it always had, so records made before the new channels still replay.
    /// </summary>
    private string[] FingerprintParts(SendRequest request)
    {
        var destination = request.Destination;
        string[] parts = [hasher.DestinationKey(destination.Channel, destination.Normalized), request.Purpose, request.Locale];
        return destination.Channel is Channel.Sms or Channel.Email && request.Fallback.Count == 0
            ? parts
            : [.. parts, destination.Channel.ToWire(), .. request.Fallback.Select(ChannelNames.ToWire)];
    }
}
