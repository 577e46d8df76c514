namespace OtpFunctions.Client;

/// <summary>The values of <see cref="OtpError.Code"/> that the service answers with.</summary>
public static class OtpErrorCode
{
    /// <summary>400: the request is malformed or not allowed for this caller; fix it rather than retrying it as is.</summary>
    public const string InvalidRequest = "invalid_request";

    /// <summary>400: the code is wrong; <see cref="OtpError.AttemptsLeft"/> says how many tries remain.</summary>
    public const string InvalidCode = "invalid_code";

    /// <summary>401: an API key that matches no key, or a session token that is missing, malformed, expired or revoked.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>403: the bot-check token is missing or was refused; get a fresh one.</summary>
    public const string BotCheckFailed = "bot_check_failed";

    /// <summary>404: no such challenge.</summary>
    public const string NotFound = "not_found";

    /// <summary>409: the code was already used.</summary>
    public const string AlreadyVerified = "already_verified";

    /// <summary>410: the code expired, was replaced by a newer send, or was canceled.</summary>
    public const string Expired = "expired";

    /// <summary>415: the body was not sent as <c>application/json</c>.</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>423: too many wrong codes; a new send is needed.</summary>
    public const string Locked = "locked";

    /// <summary>429: a limit was hit; wait <see cref="OtpError.RetryAfter"/> before trying again.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>503: storage or the bot-check provider did not answer; nothing was sent.</summary>
    public const string Unavailable = "unavailable";
}
