using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OtpFunctions.Http;

namespace OtpFunctions.Delivery.Events;

/// <summary>
/// <c>POST /api/events/delivery</c>: Event Grid's subscription handshake and ACS delivery reports.
/// In Azure the function key guards it; Event Grid's <c>aeg-event-type</c> header is required too.
/// </summary>
public sealed class DeliveryEventsFunction(DeliveryReports reports, ApiGuard guard)
{
    // Event Grid delivers batches of at most 1 MB.
    private const int MaxBytes = 1024 * 1024;

    [Function("DeliveryEvents")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = "events/delivery")] HttpRequest request, CancellationToken cancellationToken) =>
        guard.RunAsync("delivery-events", async () =>
        {
            if (request.Headers["aeg-event-type"].ToString() is not ("SubscriptionValidation" or "Notification"))
            {
                return ApiResult.From(new ApiError(401, "unauthorized", "Only Azure Event Grid deliveries are accepted here."));
            }

            var body = await ReadAsync(request, cancellationToken);
            if (body is null)
            {
                return ApiResult.From(ApiError.InvalidRequest($"The body must be an Event Grid event array of at most {MaxBytes} bytes."));
            }

            var parsed = Parse(body);
            if (parsed.Error is { } error)
            {
                return ApiResult.From(error);
            }

            var batch = parsed.Value!;
            if (batch.IsValidationHandshake)
            {
                return ApiResult.Ok(new ValidationView(batch.ValidationCode!));
            }

            await reports.ApplyAsync(batch.Reports, cancellationToken);
            return ApiResult.Ok(new AcceptedView(batch.Reports.Count));
        },
        cancellationToken);

    private static Result<DeliveryEventBatch> Parse(byte[] body)
    {
        try
        {
            return DeliveryReportParser.Parse(body);
        }
        catch (FormatException exception)
        {
            return ApiError.InvalidRequest(exception.Message);
        }
        catch (InvalidOperationException)
        {
            // A string that is valid JSON but not valid text (a lone surrogate escape).
            return ApiError.InvalidRequest("The body holds a string that is not valid Unicode text.");
        }
    }

    private static async Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(16 * 1024), cancellationToken);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBytes)
            {
                return null;
            }
        }
    }

    private sealed record ValidationView(string ValidationResponse);

    private sealed record AcceptedView(int Reports);
}
