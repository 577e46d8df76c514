namespace OtpFunctions.Client;

/// <summary>The <c>202</c> answer of a send or resend: the challenge that holds the code.</summary>
/// <param name="Id">The challenge id: opaque and url-safe; verify, resend, status and cancel take it.</param>
/// <param name="Channel">The channel the code went out on.</param>
/// <param name="To">The destination, masked (<c>+1415*****00</c>).</param>
/// <param name="Status"><c>pending</c>.</param>
/// <param name="ExpiresAt">When the code stops working.</param>
/// <param name="ResendAfter">The earliest time a resend is accepted.</param>
/// <param name="AttemptsLeft">Wrong codes allowed before the challenge locks.</param>
/// <param name="SendsLeft">Sends left to this destination in the current window.</param>
public sealed record Challenge(
    string Id,
    string Channel,
    string To,
    string Status,
    DateTimeOffset ExpiresAt,
    DateTimeOffset ResendAfter,
    int AttemptsLeft,
    int SendsLeft);
