using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace OtpFunctions.Client;

/// <summary>
/// Which failures the client retries by itself: only a try that cannot have changed anything the caller did not
/// ask for. Reads and cancels repeat harmlessly; a send repeats only with its <c>Idempotency-Key</c> (the service
/// answers a repeat with the first answer and sends nothing new). Resends and verifies are never repeated: a
/// repeated resend would supersede the code the user already holds, a repeated wrong code would count twice.
/// A 429 is the caller's to show, never waited out.
/// </summary>
internal static class OtpRetryPolicy
{
    internal const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Retry on network failures, timeouts and 408/500/502/503/504, when the request is safe to repeat and any Retry-After is short.</summary>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, OtpClientOptions options)
    {
        if (options.MaxRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(300),
                MaxDelay = options.MaxRetryWait,
                ShouldRetryAfterHeader = true,
                ShouldHandle = arguments => ValueTask.FromResult(ShouldRetry(arguments.Context.GetRequestMessage(), arguments.Outcome, options.MaxRetryWait)),
            });
        }

        pipeline.AddTimeout(options.AttemptTimeout);
    }

    public static bool ShouldRetry(HttpRequestMessage? request, Outcome<HttpResponseMessage> outcome, TimeSpan maxWait) =>
        request is not null && IsRepeatable(request) && IsTransient(outcome, maxWait);

    private static bool IsRepeatable(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get
        || request.Method == HttpMethod.Delete
        || (request.Method == HttpMethod.Post && request.Headers.Contains(IdempotencyKeyHeader));

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, TimeSpan maxWait)
    {
        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or TimeoutRejectedException;
        }

        var response = outcome.Result!;
        return response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
                or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
            && (OtpResponses.RetryAfter(response) is not { } wait || wait <= maxWait);
    }
}
