namespace OtpFunctions.Client;

/// <summary>The <c>200</c> answer of <c>GET /api/otp/{id}</c>.</summary>
/// <param name="Id">The challenge id.</param>
/// <param name="Channel">The channel of the latest code.</param>
/// <param name="To">The destination, masked.</param>
/// <param name="Status"><c>pending</c>, <c>approved</c>, <c>expired</c>, <c>locked</c> or <c>canceled</c>.</param>
/// <param name="Delivery">How far the latest code got.</param>
/// <param name="ExpiresAt">When the code stops working.</param>
/// <param name="AttemptsLeft">Wrong codes allowed before the challenge locks.</param>
/// <param name="SendsLeft">Sends left to this destination in the current window.</param>
public sealed record ChallengeStatus(
    string Id,
    string Channel,
    string To,
    string Status,
    ChallengeDelivery? Delivery,
    DateTimeOffset ExpiresAt,
    int AttemptsLeft,
    int SendsLeft);
