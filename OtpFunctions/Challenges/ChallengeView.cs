namespace OtpFunctions.Challenges;

/// <summary>The 202 body of a send or resend.</summary>
public sealed record ChallengeView(string Id, string Channel, string To, string Status, DateTimeOffset ExpiresAt, DateTimeOffset ResendAfter, int AttemptsLeft, int SendsLeft);

/// <summary>The 200 body of <c>GET /api/otp/{id}</c>.</summary>
public sealed record ChallengeStatusView(string Id, string Channel, string To, string Status, DeliveryView Delivery, DateTimeOffset ExpiresAt, int AttemptsLeft, int SendsLeft);

/// <summary><c>delivery</c>: where the current code's message is, on which channel, and every channel's try so far.</summary>
public sealed record DeliveryView(string Status, string Channel, DateTimeOffset UpdatedAt, string? Error, IReadOnlyList<DeliveryAttemptView> Attempts);

/// <summary>One entry of <c>delivery.attempts</c>.</summary>
public sealed record DeliveryAttemptView(string Channel, string Status, DateTimeOffset At, string? Error);
