namespace OtpFunctions.Client;

/// <summary>A bearer session token (a JWT) and when it stops working.</summary>
/// <param name="Token">Send as <c>Authorization: Bearer &lt;token&gt;</c>; keep it out of logs and URLs.</param>
/// <param name="ExpiresAt">When the token expires.</param>
public sealed record OtpSession(string Token, DateTimeOffset ExpiresAt);
