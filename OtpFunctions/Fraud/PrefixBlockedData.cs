namespace OtpFunctions.Fraud;

/// <summary>
/// The <c>data</c> of a <c>fraud.prefix_blocked</c> webhook (api.md: prefix, sends, verified, blockedUntil), and the
/// mode: "monitor" says the prefix was only reported, its sends go on.
/// </summary>
public sealed record PrefixBlockedData(string Prefix, int Sends, int Verified, DateTimeOffset BlockedUntil, string Mode);
