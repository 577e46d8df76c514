namespace OtpFunctions.Challenges;

/// <summary>The limit that refused a request; named in the <c>otp.rate_limited</c> metric and the log.</summary>
public enum RateLimitScope
{
    /// <summary>The client address's send budget.</summary>
    Ip,

    /// <summary>A server caller's own send budget (instead of its address's).</summary>
    Caller,

    /// <summary>The SMS country calling code's budget.</summary>
    Country,

    /// <summary>The service's SMS budget as a whole.</summary>
    Global,

    /// <summary>The destination's send window.</summary>
    Destination,

    /// <summary>The destination's wrong-code block.</summary>
    Failures,

    /// <summary>The wait between a send and a resend.</summary>
    Cooldown,

    /// <summary>The destination's number prefix, blocked by the fraud guard.</summary>
    Prefix,
}

/// <summary>The one spelling of a <see cref="RateLimitScope"/> in metrics and logs.</summary>
public static class RateLimitScopeNames
{
    public static string ToWire(this RateLimitScope scope) => scope switch
    {
        RateLimitScope.Ip => "ip",
        RateLimitScope.Caller => "caller",
        RateLimitScope.Country => "country",
        RateLimitScope.Global => "global",
        RateLimitScope.Destination => "destination",
        RateLimitScope.Failures => "failures",
        RateLimitScope.Cooldown => "cooldown",
        RateLimitScope.Prefix => "prefix",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, null),
    };
}
