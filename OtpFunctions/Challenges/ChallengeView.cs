namespace OtpFunctions.Challenges;

/// <summary>The 202 body of a send or resend.</summary>
public sealed record ChallengeView(string Id, string Channel, string To, string Status, DateTimeOffset ExpiresAt, DateTimeOffset ResendAfter, int AttemptsLeft, int SendsLeft);

/// <summary>The 200 body of <c>GET /api/otp/{id}</c>.</summary>
public sealed record ChallengeStatusView(string Id, string Channel, string To, string Status, DeliveryView Delivery, DateTimeOffset ExpiresAt, int AttemptsLeft, int SendsLeft);

public sealed record DeliveryView(string Status, DateTimeOffset UpdatedAt, string? Error);
