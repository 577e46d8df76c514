using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace OtpFunctions.Client;

/// <summary>
/// Calls the OTP service: send a code, verify it, and use the session it buys. Every refusal comes back as an
/// <see cref="OtpResult"/> whose <see cref="OtpResult.Error"/> carries the error code, status, attempts left and
/// <c>Retry-After</c>. Register it with <c>services.AddOtpClient(...)</c>, or make one with <see cref="Create"/>.
/// </summary>
/// <param name="httpClient">A client whose <see cref="HttpClient.BaseAddress"/> is the service's <c>/api/</c> root, as <c>AddOtpClient</c> configures it.</param>
public sealed class OtpClient(HttpClient httpClient)
{
    /// <summary>
    /// A client without dependency injection, with the same caller headers and retries as <c>AddOtpClient</c>. Keep it
    /// for the life of the app, as you would an <see cref="HttpClient"/>.
    /// </summary>
    /// <param name="options">Where the service is and who is calling.</param>
    /// <returns>A client that owns its connections.</returns>
    public static OtpClient Create(OtpClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>();
        OtpRetryPolicy.Configure(pipeline, options);
#pragma warning disable CA2000 // The handlers belong to the HttpClient, which the OtpClient keeps for its lifetime.
        var handlers = new ResilienceHandler(pipeline.Build())
        {
            InnerHandler = new CallerHeadersHandler(options) { InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) } },
        };
        return new OtpClient(new HttpClient(handlers) { BaseAddress = options.ApiRoot() });
#pragma warning restore CA2000
    }

    /// <summary><c>POST /api/otp</c>: sends a code. Sends carry an <c>Idempotency-Key</c>, so a retried send never sends twice.</summary>
    /// <param name="request">Channel, destination and the optional purpose, locale and fallback.</param>
    /// <param name="options">A per-call bot token or idempotency key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The challenge (<c>202</c>), or a refusal: <c>invalid_request</c>, <c>unauthorized</c>, <c>bot_check_failed</c>, <c>rate_limited</c> (with <see cref="OtpError.RetryAfter"/>), <c>unavailable</c>.</returns>
    /// <exception cref="HttpRequestException">The service could not be reached, after retries.</exception>
    /// <exception cref="TimeoutException">The service did not answer in time, after retries.</exception>
    public async Task<OtpResult<Challenge>> SendAsync(SendRequest request, OtpCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = new HttpRequestMessage(HttpMethod.Post, "otp") { Content = JsonContent.Create(request, OtpJsonContext.Default.SendRequest) };
        message.Headers.TryAddWithoutValidation(OtpRetryPolicy.IdempotencyKeyHeader, options?.IdempotencyKey ?? Guid.NewGuid().ToString());
        WithBotToken(message, options);
        return await CallAsync(message, OtpJsonContext.Default.Challenge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>POST /api/otp/{id}/resend</c>: sends a new code for the same challenge; the previous code stops working. Never retried by the client.</summary>
    /// <param name="challengeId">The challenge's id.</param>
    /// <param name="request">Another phone channel to switch to, or null to keep the channel.</param>
    /// <param name="options">A per-call bot token.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The challenge (<c>202</c>), or a refusal: <c>rate_limited</c> during the cooldown (with <see cref="OtpError.RetryAfter"/>), <c>not_found</c>, <c>expired</c>, <c>already_verified</c>, <c>locked</c>, and a send's refusals.</returns>
    /// <exception cref="HttpRequestException">The service could not be reached.</exception>
    /// <exception cref="TimeoutException">The service did not answer in time.</exception>
    public async Task<OtpResult<Challenge>> ResendAsync(string challengeId, ResendRequest? request = null, OtpCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, ChallengePath(challengeId) + "/resend");
        if (request?.Channel is not null)
        {
            message.Content = JsonContent.Create(request, OtpJsonContext.Default.ResendRequest);
        }

        WithBotToken(message, options);
        return await CallAsync(message, OtpJsonContext.Default.Challenge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>POST /api/otp/{id}/verify</c>: checks a code. Never retried by the client (a repeated wrong code would count twice).</summary>
    /// <param name="challengeId">The challenge's id.</param>
    /// <param name="code">The digits the user typed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The session (<c>200</c>), or a refusal: <c>invalid_code</c> (with <see cref="OtpError.AttemptsLeft"/>), <c>invalid_request</c>, <c>not_found</c>, <c>expired</c>, <c>already_verified</c>, <c>locked</c>.</returns>
    /// <exception cref="HttpRequestException">The service could not be reached.</exception>
    /// <exception cref="TimeoutException">The service did not answer in time.</exception>
    public async Task<OtpResult<Verification>> VerifyAsync(string challengeId, string code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        using var message = new HttpRequestMessage(HttpMethod.Post, ChallengePath(challengeId) + "/verify")
        {
            Content = JsonContent.Create(new VerifyBody(code), OtpJsonContext.Default.VerifyBody),
        };
        return await CallAsync(message, OtpJsonContext.Default.Verification, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/otp/{id}</c>: the challenge's status and its delivery.</summary>
    /// <param name="challengeId">The challenge's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The status (<c>200</c>), or <c>not_found</c>.</returns>
    /// <exception cref="HttpRequestException">The service could not be reached, after retries.</exception>
    /// <exception cref="TimeoutException">The service did not answer in time, after retries.</exception>
    public async Task<OtpResult<ChallengeStatus>> GetAsync(string challengeId, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, ChallengePath(challengeId));
        return await CallAsync(message, OtpJsonContext.Default.ChallengeStatus, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>DELETE /api/otp/{id}</c>: cancels the challenge; its code stops working.</summary>
    /// <param name="challengeId">The challenge's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Success (<c>204</c>), or <c>not_found</c>.</returns>
    /// <exception cref="HttpRequestException">The service could not be reached, after retries.</exception>
    /// <exception cref="TimeoutException">The service did not answer in time, after retries.</exception>
    public async Task<OtpResult> CancelAsync(string challengeId, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Delete, ChallengePath(challengeId));
        return await CallAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/session</c>: whether a session token is still good (this also sees revocation, which offline JWT validation cannot).</summary>
    /// <param name="token">The session token from <see cref="Verification.Session"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The session (<c>200</c>), or <c>unauthorized</c> for a missing, malformed, expired or revoked token.</returns>
    /// <exception cref="HttpRequestException">The service could not be reached, after retries.</exception>
    /// <exception cref="TimeoutException">The service did not answer in time, after retries.</exception>
    public async Task<OtpResult<SessionInfo>> GetSessionAsync(string token, CancellationToken cancellationToken = default)
    {
        using var message = SessionRequest(HttpMethod.Get, token);
        return await CallAsync(message, OtpJsonContext.Default.SessionInfo, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>DELETE /api/session</c>: revokes a session token; it is refused from then on.</summary>
    /// <param name="token">The session token.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Success (<c>204</c>), or <c>unauthorized</c> (also for a token already revoked).</returns>
    /// <exception cref="HttpRequestException">The service could not be reached, after retries.</exception>
    /// <exception cref="TimeoutException">The service did not answer in time, after retries.</exception>
    public async Task<OtpResult> RevokeSessionAsync(string token, CancellationToken cancellationToken = default)
    {
        using var message = SessionRequest(HttpMethod.Delete, token);
        return await CallAsync(message, cancellationToken).ConfigureAwait(false);
    }

    private static string ChallengePath(string challengeId)
    {
        ArgumentException.ThrowIfNullOrEmpty(challengeId);
        return "otp/" + Uri.EscapeDataString(challengeId);
    }

    private static HttpRequestMessage SessionRequest(HttpMethod method, string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var message = new HttpRequestMessage(method, "session");
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return message;
    }

    private static void WithBotToken(HttpRequestMessage message, OtpCallOptions? options)
    {
        message.Options.Set(CallerHeadersHandler.WantsBotToken, true);
        if (options?.BotToken is { } token)
        {
            message.Options.Set(CallerHeadersHandler.CallBotToken, token);
        }
    }

    private async Task<OtpResult<T>> CallAsync<T>(HttpRequestMessage message, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return await OtpResponses.ReadAsync(response, type, cancellationToken).ConfigureAwait(false);
    }

    private async Task<OtpResult> CallAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return await OtpResponses.ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return await httpClient.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException timeout)
        {
            throw new TimeoutException("The OTP service did not answer in time.", timeout);
        }
        catch (TaskCanceledException canceled) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("The OTP service did not answer within the HttpClient's timeout.", canceled);
        }
    }
}
