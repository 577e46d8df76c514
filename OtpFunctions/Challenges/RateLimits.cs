using OtpFunctions.Telemetry;

namespace OtpFunctions.Challenges;

/// <summary>Every <c>429 rate_limited</c> answer, counted (<c>otp.rate_limited</c> by scope) and logged the same way, whichever limit refused.</summary>
public sealed class RateLimits(OtpMetrics metrics, ILogger<RateLimits> logger)
{
    public ApiError Refuse(RateLimitScope scope, TimeSpan retryAfter, string message)
    {
        metrics.RateLimited(scope.ToWire());
        OtpLog.RateLimited(logger, scope.ToWire(), ApiError.Seconds(retryAfter));
        return ApiError.RateLimited(retryAfter, message);
    }
}
