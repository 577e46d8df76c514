namespace OtpFunctions.Delivery;

/// <summary>What one provider call came to: who was asked, what it said, and when it had answered.</summary>
public sealed record SendAttempt(string Provider, DeliveryOutcome Outcome, DateTimeOffset AnsweredAt);
