namespace OtpFunctions.Client;

/// <summary>The optional body of <c>POST /api/otp/{id}/resend</c>.</summary>
/// <param name="Channel">Another phone channel to switch to ("call me instead"), or null to keep the channel.</param>
public sealed record ResendRequest(string? Channel = null);
