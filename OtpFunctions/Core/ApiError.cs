namespace OtpFunctions.Core;

/// <summary>An error answer of api.md: its code, HTTP status, message and optional extra fields.</summary>
public sealed record ApiError(int Status, string Code, string Message)
{
    public int? AttemptsLeft { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    public static ApiError InvalidRequest(string message) => new(400, "invalid_request", message);

    public static ApiError UnsupportedMediaType() => new(415, "unsupported_media_type", "Content-Type must be application/json (UTF-8).");

    public static ApiError InvalidCode(int attemptsLeft) => new(400, "invalid_code", "The code is not correct.") { AttemptsLeft = attemptsLeft };

    public static ApiError NotFound() => new(404, "not_found", "No such challenge.");

    public static ApiError Expired() => new(410, "expired", "The code has expired or was replaced; request a new one.");

    public static ApiError AlreadyVerified() => new(409, "already_verified", "The code has already been used.");

    public static ApiError Locked() => new(423, "locked", "Too many wrong codes; request a new one with POST /api/otp.");

    public static ApiError Unauthorized() => new(401, "unauthorized", "The bearer token is missing, malformed, expired or revoked.");

    public static ApiError RateLimited(TimeSpan retryAfter, string message) => new(429, "rate_limited", message) { RetryAfter = retryAfter };

    public static ApiError Unavailable() => new(503, "unavailable", "Storage is unavailable; retry shortly.") { RetryAfter = TimeSpan.FromSeconds(5) };

    /// <summary>Seconds to wait, rounded up so a client that waits exactly this long is not refused again.</summary>
    public static int Seconds(TimeSpan wait) => (int)Math.Max(1, Math.Ceiling(wait.TotalSeconds));
}
