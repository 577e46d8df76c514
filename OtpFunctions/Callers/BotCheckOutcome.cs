namespace OtpFunctions.Callers;

public enum BotCheckOutcome
{
    Passed,

    /// <summary>The token, the page it was solved on or its action is not ours, or the provider answered 4xx: never sends.</summary>
    Refused,

    /// <summary>The provider rejects our secret or site key: refused like a bad token, logged as an error for the operator.</summary>
    Misconfigured,

    /// <summary>No answer: a timeout, a connection error or a 5xx. The only outcome <c>FailOpen</c> lets through.</summary>
    Unavailable,

    /// <summary>An answer that cannot be judged (not JSON, no boolean success, the provider's internal error): 503, never fail-open.</summary>
    Unreadable,
}
