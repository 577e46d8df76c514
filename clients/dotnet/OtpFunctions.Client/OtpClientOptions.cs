namespace OtpFunctions.Client;

/// <summary>Where the service is and who is calling it.</summary>
public sealed class OtpClientOptions
{
    /// <summary>The service's URL, such as <c>https://otp.example.com</c> (with or without the trailing <c>/api</c>).</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>A server caller's key, sent as <c>X-Api-Key</c> on every call: no bot check, its own purposes and budget.</summary>
    public string? ApiKey { get; set; }

    /// <summary>A bot-check token sent as <c>X-Bot-Token</c> on sends and resends; <see cref="BotTokenProvider"/> takes precedence.</summary>
    public string? BotToken { get; set; }

    /// <summary>
    /// Makes a bot-check token for each try of a send or resend (tokens are single use, so a retried send needs a
    /// fresh one). <see cref="OtpCallOptions.BotToken"/> takes precedence.
    /// </summary>
    public Func<CancellationToken, ValueTask<string?>>? BotTokenProvider { get; set; }

    /// <summary>Retries after a network failure, a timeout or a 408/500/502/503/504 answer, on calls that are safe to repeat. Default 2; 0 turns retries off.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>
    /// The longest <c>Retry-After</c> of a 503 that the client waits out before retrying (default 5 seconds); a longer one is
    /// returned to the caller. A 429 is always returned, never waited out.
    /// </summary>
    public TimeSpan MaxRetryWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one try may take before it counts as failed (default 10 seconds).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The <c>/api/</c> root every route is relative to.</summary>
    internal Uri ApiRoot()
    {
        if (BaseAddress is not { IsAbsoluteUri: true } address || (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidOperationException("OtpClientOptions.BaseAddress must be the service's absolute http(s) URL, such as https://otp.example.com.");
        }

        var path = address.AbsolutePath.TrimEnd('/');
        var root = path.EndsWith("/api", StringComparison.OrdinalIgnoreCase) ? path + "/" : path + "/api/";
        return new UriBuilder(address) { Path = root, Query = string.Empty, Fragment = string.Empty }.Uri;
    }
}
