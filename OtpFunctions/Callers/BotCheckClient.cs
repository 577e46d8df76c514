using System.Text.Json;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Callers;

/// <summary>
/// Asks the provider's server-side verify API about a token. Turnstile, hCaptcha and reCAPTCHA document the
/// same exchange: a form-encoded POST of <c>secret</c>, <c>response</c> and <c>remoteip</c>, answered with JSON
/// <c>{"success": bool, "error-codes": [...]}</c> (plus <c>score</c> for reCAPTCHA v3).
/// </summary>
public sealed class BotCheckClient(HttpClient http, IOptions<CallerOptions> options, OtpMetrics metrics, ILogger<BotCheckClient> logger)
{
    /// <summary>Short: the caller waits on it, and a provider this slow is treated as down.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    // Turnstile documents 2048 characters; hCaptcha and reCAPTCHA tokens run longer. Anything past this is not a token.
    private const int MaxTokenLength = 8192;

    // Answers that mean our configuration or the provider is at fault, not the visitor.
    private static readonly string[] OperatorErrors = ["missing-input-secret", "invalid-input-secret", "sitekey-secret-mismatch", "internal-error"];

    private readonly BotCheckOptions settings = options.Value.BotCheck;

    public async Task<BotCheckOutcome> VerifyAsync(string token, string? remoteIp, CancellationToken cancellationToken)
    {
        if (token.Length > MaxTokenLength)
        {
            return Record(BotCheckOutcome.Refused, "token too long");
        }

        JsonDocument answer;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            using var response = await http.PostAsync(settings.Endpoint, Form(token, remoteIp), timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return Record(BotCheckOutcome.Unavailable, $"HTTP {(int)response.StatusCode}");
            }

            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            answer = await JsonDocument.ParseAsync(body, cancellationToken: timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Record(BotCheckOutcome.Unavailable, $"no answer within {Timeout.TotalSeconds:0}s");
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or IOException)
        {
            return Record(BotCheckOutcome.Unavailable, exception.GetType().Name);
        }

        using (answer)
        {
            return Judge(answer.RootElement);
        }
    }

    private FormUrlEncodedContent Form(string token, string? remoteIp)
    {
        var form = new List<KeyValuePair<string, string>> { new("secret", settings.Secret!), new("response", token) };
        if (remoteIp is not null)
        {
            form.Add(new("remoteip", remoteIp));
        }

        if (settings.Provider == BotCheckProvider.HCaptcha && settings.SiteKey is { Length: > 0 } siteKey)
        {
            // hCaptcha checks that the token was made for this site when told which one.
            form.Add(new("sitekey", siteKey));
        }

        return new FormUrlEncodedContent(form);
    }

    private BotCheckOutcome Judge(JsonElement answer)
    {
        if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty("success", out var success) || success.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return Record(BotCheckOutcome.Unavailable, "answer without a boolean 'success'");
        }

        var errors = answer.TryGetProperty("error-codes", out var codes) && codes.ValueKind == JsonValueKind.Array
            ? codes.EnumerateArray().Where(code => code.ValueKind == JsonValueKind.String).Select(code => code.GetString()!).ToArray()
            : [];
        if (!success.GetBoolean())
        {
            return errors.Any(error => OperatorErrors.Contains(error, StringComparer.Ordinal))
                ? Record(BotCheckOutcome.Unavailable, "provider refused our request: " + string.Join(',', errors))
                : Record(BotCheckOutcome.Refused, errors.Length == 0 ? "refused" : string.Join(',', errors));
        }

        // reCAPTCHA v3 passes every well-formed token and grades it; v2 tokens carry no score.
        if (settings.Provider == BotCheckProvider.Recaptcha && answer.TryGetProperty("score", out var score))
        {
            if (score.ValueKind != JsonValueKind.Number)
            {
                return Record(BotCheckOutcome.Unavailable, "score is not a number");
            }

            if (score.GetDouble() < settings.MinScore)
            {
                return Record(BotCheckOutcome.Refused, FormattableString.Invariant($"score {score.GetDouble():0.0#} below {settings.MinScore:0.0#}"));
            }
        }

        return Record(BotCheckOutcome.Passed, "passed");
    }

    private BotCheckOutcome Record(BotCheckOutcome outcome, string reason)
    {
        var provider = settings.Provider.ToString();
        metrics.BotCheck(provider, outcome.ToString().ToLowerInvariant());
        switch (outcome)
        {
            case BotCheckOutcome.Refused:
                OtpLog.BotCheckRefused(logger, provider, Bounded(reason));
                break;
            case BotCheckOutcome.Unavailable:
                OtpLog.BotCheckUnavailable(logger, provider, Bounded(reason), settings.FailOpen);
                break;
        }

        return outcome;
    }

    // Error codes come from the provider: keep a hostile or broken answer from flooding the log.
    private static string Bounded(string reason) => reason.Length <= 200 ? reason : reason[..200];
}
