using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OtpFunctions.Challenges;
using OtpFunctions.Http;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Delivery.Voice;

/// <summary>
/// <c>POST /api/events/calls/{id}</c>: ACS Call Automation's callbacks for the call carrying challenge {id}'s code.
/// No function key (ACS cannot send one): the URL's own signature (<c>v</c>, <c>sig</c>) is the guard.
/// </summary>
public sealed class CallEventsFunction(VoiceCallbacks callbacks, ApiGuard guard, ILogger<CallEventsFunction> logger)
{
    private const int MaxBytes = 64 * 1024;

    [Function("CallEvents")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "events/calls/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync("call-events", async () =>
        {
            var wellFormed = ChallengeId.TryParse(id, out var target);
            if (!wellFormed || !int.TryParse(request.Query["v"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
                || !callbacks.IsSigned(id, version, request.Query["sig"]))
            {
                OtpLog.CallCallbackRefused(logger, wellFormed ? id : "(malformed)", "no valid signature");
                return ApiResult.From(new ApiError(401, "unauthorized", "This callback URL is not one this service gave out."));
            }

            var events = await ReadAsync(request, cancellationToken);
            if (events.Error is { } invalid)
            {
                return ApiResult.From(invalid);
            }

            await callbacks.ApplyAsync(target, version, events.Value!, cancellationToken);
            return ApiResult.Ok(new AcceptedView(events.Value!.Count));
        },
        cancellationToken);

    private static async Task<Result<IReadOnlyList<CallEvent>>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > MaxBytes)
        {
            return ApiError.InvalidRequest($"The body must not exceed {MaxBytes} bytes.");
        }

        try
        {
            return new Result<IReadOnlyList<CallEvent>>(CallEvent.ParseMany(buffer.ToArray()), null);
        }
        catch (FormatException exception)
        {
            return ApiError.InvalidRequest(exception.Message);
        }
    }

    private sealed record AcceptedView(int Accepted);
}
