namespace OtpFunctions.Verifying;

/// <summary>The 200 body of a correct verify.</summary>
public sealed record ApprovedView(string Status, SessionTokenView Session);

public sealed record SessionTokenView(string Token, DateTimeOffset ExpiresAt);
