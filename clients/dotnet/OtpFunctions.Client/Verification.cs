namespace OtpFunctions.Client;

/// <summary>The <c>200</c> answer of <c>POST /api/otp/{id}/verify</c>: the code was right.</summary>
/// <param name="Status"><c>approved</c>.</param>
/// <param name="Session">The bearer session the code bought.</param>
public sealed record Verification(string Status, OtpSession Session);
