using Microsoft.AspNetCore.Http;
using OtpFunctions.Http;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Callers;

/// <summary>
/// Decides who is sending before anything is spent: a server caller proves itself with <c>X-Api-Key</c>
/// and may use its own purposes; anyone else is anonymous, limited to <c>Otp:AllowedPurposes</c>, and must
/// pass the bot check when one is configured. The bot check is the last step, as it costs an HTTP call.
/// </summary>
public sealed class CallerGate(ApiKeys apiKeys, BotCheckClient botCheck, ClientIp clientIp, IOptions<CallerOptions> options, ILogger<CallerGate> logger)
{
    public const string ApiKeyHeader = "X-Api-Key";
    public const string BotTokenHeader = "X-Bot-Token";

    private readonly CallerOptions settings = options.Value;

    /// <summary>Admits a send or resend; <paramref name="purpose"/> is null for a resend (its challenge's purpose was checked when it was sent).</summary>
    public async Task<Result<Caller>> AdmitAsync(HttpRequest request, string? purpose, CancellationToken cancellationToken)
    {
        var address = clientIp.Resolve(request);
        ServerCallerOptions? server = null;
        if (request.Headers.TryGetValue(ApiKeyHeader, out var presented))
        {
            server = apiKeys.Find(presented.ToString());
            if (server is null)
            {
                OtpLog.UnknownApiKey(logger);
                return new ApiError(401, "unauthorized", $"The {ApiKeyHeader} header matches no configured key.");
            }
        }

        var caller = new Caller(server, address);
        if (purpose is not null && PurposeRefusal(caller, purpose) is { } refusal)
        {
            return refusal;
        }

        return server is not null || !settings.BotCheck.Enabled ? caller : await BotCheckAsync(request, caller, cancellationToken);
    }

    private async Task<Result<Caller>> BotCheckAsync(HttpRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var token = request.Headers[BotTokenHeader].ToString();
        if (token.Length == 0)
        {
            return BotCheckFailed($"A bot-check token is required in the {BotTokenHeader} header.");
        }

        switch (await botCheck.VerifyAsync(token, caller.ClientIp, cancellationToken))
        {
            case BotCheckOutcome.Passed:
                return caller;
            case BotCheckOutcome.Unavailable when settings.BotCheck.FailOpen:
                // The operator chose availability over protection for outages (timeouts, connection errors, 5xx only); logged.
                return caller;
            case BotCheckOutcome.Unavailable or BotCheckOutcome.Unreadable:
                return new ApiError(503, "unavailable", "The bot check could not be completed; retry shortly. Nothing was sent.") { RetryAfter = TimeSpan.FromSeconds(5) };
            default:
                return BotCheckFailed("The bot-check token was refused; solve the check again.");
        }
    }

    private ApiError? PurposeRefusal(Caller caller, string purpose)
    {
        if (caller.Server is { } server)
        {
            return server.Purposes is null || server.Purposes.Contains(purpose, StringComparer.Ordinal)
                ? null
                : ApiError.InvalidRequest($"purpose '{purpose}' is not allowed for this caller: Otp:ApiKeys:{server.Name}:Purposes allows {string.Join(", ", server.Purposes)}.");
        }

        return settings.AllowedPurposes.Contains(purpose, StringComparer.Ordinal)
            ? null
            : ApiError.InvalidRequest($"purpose '{purpose}' is not allowed for this caller: without an {ApiKeyHeader}, purposes are limited to Otp:AllowedPurposes ({string.Join(", ", settings.AllowedPurposes)}).");
    }

    private static ApiError BotCheckFailed(string message) => new(403, "bot_check_failed", message);
}
