namespace OtpFunctions.Client;

/// <summary>The <c>200</c> answer of <c>GET /api/session</c>: a live session.</summary>
/// <param name="Subject">The verified destination, masked.</param>
/// <param name="Channel">The channel the code went out on.</param>
/// <param name="Purpose">The purpose the code was sent for.</param>
/// <param name="IssuedAt">When the session began.</param>
/// <param name="ExpiresAt">When it ends, unless revoked first.</param>
public sealed record SessionInfo(string Subject, string Channel, string Purpose, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);
