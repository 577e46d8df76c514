namespace OtpFunctions.Tests.Support;

// The answer bodies of ../shared/api.md (beside the repository), written from the contract rather than borrowed from the product's
// view types, so a renamed or dropped field fails a test instead of following the product silently.

/// <summary>The <c>202</c> answer of <c>POST /api/otp</c> and <c>POST /api/otp/{id}/resend</c>.</summary>
public sealed record SendAnswer(string Id, string Channel, string To, string Status, DateTimeOffset ExpiresAt, DateTimeOffset ResendAfter, int AttemptsLeft, int SendsLeft);

/// <summary>The <c>200</c> answer of <c>GET /api/otp/{id}</c>.</summary>
public sealed record StatusAnswer(string Id, string Channel, string To, string Status, DeliveryAnswer Delivery, DateTimeOffset ExpiresAt, int AttemptsLeft, int SendsLeft);

/// <summary><c>delivery</c> of a status answer.</summary>
public sealed record DeliveryAnswer(string Status, DateTimeOffset? UpdatedAt, string? Error)
{
    public string? Channel { get; init; }

    public IReadOnlyList<DeliveryAttemptAnswer> Attempts { get; init; } = [];
}

/// <summary>One entry of <c>delivery.attempts</c>.</summary>
public sealed record DeliveryAttemptAnswer(string Channel, string Status, DateTimeOffset At, string? Error);

/// <summary>The <c>200</c> answer of <c>POST /api/otp/{id}/verify</c>.</summary>
public sealed record ApprovedAnswer(string Status, SessionGrant Session);

/// <summary><c>session</c> of an approved answer.</summary>
public sealed record SessionGrant(string Token, DateTimeOffset ExpiresAt);

/// <summary>Every error answer; <c>attemptsLeft</c> comes with <c>invalid_code</c>, <c>retryAfter</c> with <c>rate_limited</c>.</summary>
public sealed record ErrorAnswer(string Error, string Message, int? AttemptsLeft = null, int? RetryAfter = null);

/// <summary>The <c>200</c> answer of <c>GET /api/session</c>.</summary>
public sealed record SessionAnswer(string Subject, string Channel, string Purpose, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

/// <summary>The body of a webhook to an app backend.</summary>
public sealed record WebhookEvent(string Type, DateTimeOffset Timestamp, WebhookData Data);

/// <summary><c>data</c> of a webhook; <c>reason</c> comes with <c>delivery.failed</c>.</summary>
public sealed record WebhookData(string Id, string Channel, string To, string Purpose, string? Reason = null);

/// <summary>The answer of <c>GET /api/health</c>; <c>channels</c> names each channel <c>configured</c> or <c>not_configured</c>.</summary>
public sealed record HealthAnswer(string Status, IReadOnlyDictionary<string, string>? Channels = null);
