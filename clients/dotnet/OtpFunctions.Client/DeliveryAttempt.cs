namespace OtpFunctions.Client;

/// <summary>One channel's try at delivering a code.</summary>
/// <param name="Channel">The channel tried.</param>
/// <param name="Status">What became of it: <c>queued</c>, <c>sent</c>, <c>delivered</c> or <c>failed</c>.</param>
/// <param name="At">When.</param>
/// <param name="Error">Why it failed, when it did.</param>
public sealed record DeliveryAttempt(string Channel, string Status, DateTimeOffset At, string? Error);
