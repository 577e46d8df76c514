namespace OtpFunctions.Fraud;

/// <summary>
/// The fraud guard's word on one send: refused (its prefix is blocked), or admitted with the prefix as read, so the
/// send can be counted beside the destination's transaction, and a Monitor report to file then.
/// </summary>
public sealed record FraudCheck(ApiError? Refusal, PrefixRead? Read, PrefixBlock? Report)
{
    /// <summary>False for a send whose code is checked elsewhere: refused to a blocked prefix, never counted.</summary>
    public bool Counted { get; init; } = true;

    /// <summary>Not a phone send, an exempt prefix, or the guard is off: nothing to count.</summary>
    public static readonly FraudCheck Unwatched = new(null, null, null);
}
