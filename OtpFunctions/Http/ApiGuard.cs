using Azure;
using Microsoft.AspNetCore.Mvc;
using OtpFunctions.Storage;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Http;

/// <summary>
/// Runs one HTTP function body and turns storage trouble into <c>503</c> with <c>Retry-After</c>
/// and anything unforeseen into a bare <c>500</c> that leaks nothing.
/// </summary>
public sealed class ApiGuard(StorageInitializer initializer, ILogger<ApiGuard> logger)
{
    public async Task<IActionResult> RunAsync(string operation, Func<Task<IActionResult>> body, CancellationToken requestAborted = default)
    {
        try
        {
            return await body();
        }
        catch (Exception exception) when (IsStorageFault(exception) || (exception is OperationCanceledException && !requestAborted.IsCancellationRequested))
        {
            if (StorageInitializer.IsMissingResource(exception))
            {
                initializer.EnsureCreated();
            }

            OtpLog.StorageUnavailable(logger, exception, operation);
            return ApiResult.From(ApiError.Unavailable());
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            OtpLog.UnexpectedFailure(logger, exception, operation);
            return ApiResult.From(new ApiError(500, "internal_error", "Something went wrong; nothing was changed that a retry cannot fix."));
        }
    }

    public static bool IsStorageFault(Exception exception) => exception switch
    {
        // A 400 from storage is a request we built wrong: a bug to log as such, not an outage to retry.
        RequestFailedException failed => failed.Status != 400,
        ContentionException or HttpRequestException or TimeoutException or IOException => true,
        // The SDK's retry policy wraps its per-try timeouts (OperationCanceledException) in one AggregateException.
        AggregateException aggregate => aggregate.InnerExceptions.All(inner => IsStorageFault(inner) || inner is OperationCanceledException),
        _ => false,
    };
}
