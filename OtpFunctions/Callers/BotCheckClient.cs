using System.Text.Json;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Callers;

/// <summary>
/// Asks the provider's server-side verify API about a token. Turnstile, hCaptcha and reCAPTCHA document the
/// same exchange: a form-encoded POST of <c>secret</c>, <c>response</c> and <c>remoteip</c> (and hCaptcha's
/// <c>sitekey</c>), answered with JSON <c>{"success": bool, "error-codes": [...], "hostname": "..."}</c> (plus
/// <c>action</c> for Turnstile and reCAPTCHA v3, <c>score</c> for reCAPTCHA v3). A token passes only when the
/// provider says so, it was solved on one of our hostnames, and it names our action when an action is reported.
/// </summary>
public sealed class BotCheckClient(HttpClient http, IOptions<CallerOptions> options, OtpMetrics metrics, ILogger<BotCheckClient> logger)
{
    /// <summary>Short: the caller waits on it, and a provider this slow is treated as down.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    // Turnstile documents 2048 characters; hCaptcha and reCAPTCHA tokens run longer. Anything past this is not a token.
    private const int MaxTokenLength = 8192;

    // Answers that mean our secret or site key is wrong, not the visitor's token.
    private static readonly string[] OperatorErrors = ["missing-input-secret", "invalid-input-secret", "sitekey-secret-mismatch", "not-using-dummy-passcode"];

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
                return Record(OutcomeOf(response.StatusCode), $"HTTP {(int)response.StatusCode}");
            }

            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            answer = await JsonDocument.ParseAsync(body, cancellationToken: timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Record(BotCheckOutcome.Unavailable, $"no answer within {Timeout.TotalSeconds:0}s");
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            return Record(BotCheckOutcome.Unavailable, exception.GetType().Name);
        }
        catch (JsonException)
        {
            return Record(BotCheckOutcome.Unreadable, "answer is not JSON");
        }

        using (answer)
        {
            return Judge(answer.RootElement);
        }
    }

    // Only the provider's own failure may fail open: a 4xx is an answer about our request, and an attacker who could
    // provoke one (a 429 from flooding, say) must not turn it into a pass.
    private static BotCheckOutcome OutcomeOf(System.Net.HttpStatusCode status) =>
        (int)status >= 500 ? BotCheckOutcome.Unavailable : BotCheckOutcome.Misconfigured;

    private FormUrlEncodedContent Form(string token, string? remoteIp)
    {
        var form = new List<KeyValuePair<string, string>> { new("secret", settings.Secret!), new("response", token) };
        if (remoteIp is not null)
        {
            form.Add(new("remoteip", remoteIp));
        }

        if (settings.Provider == BotCheckProvider.HCaptcha)
        {
            // hCaptcha checks that the token was made for our site key only when told which one (required at start-up).
            form.Add(new("sitekey", settings.SiteKey!));
        }

        return new FormUrlEncodedContent(form);
    }

    private BotCheckOutcome Judge(JsonElement answer)
    {
        if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty("success", out var success) || success.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return Record(BotCheckOutcome.Unreadable, "answer without a boolean 'success'");
        }

        if (success.GetBoolean())
        {
            return PassedChecks(answer) is { } refusal ? Record(BotCheckOutcome.Refused, refusal) : Record(BotCheckOutcome.Passed, "passed");
        }

        var errors = answer.TryGetProperty("error-codes", out var codes) && codes.ValueKind == JsonValueKind.Array
            ? codes.EnumerateArray().Where(code => code.ValueKind == JsonValueKind.String).Select(code => code.GetString()!).ToArray()
            : [];
        var reason = errors.Length == 0 ? "refused" : string.Join(',', errors);
        if (errors.Any(error => OperatorErrors.Contains(error, StringComparer.Ordinal)))
        {
            return Record(BotCheckOutcome.Misconfigured, reason);
        }

        // The provider's own failure, reported in a 200: not a pass, and not an outage an attacker could not provoke.
        return Record(errors.Contains("internal-error", StringComparer.Ordinal) ? BotCheckOutcome.Unreadable : BotCheckOutcome.Refused, reason);
    }

    /// <summary>Why a token the provider accepted is still not ours (another site, another action, a low score), or null.</summary>
    private string? PassedChecks(JsonElement answer)
    {
        var hostname = Text(answer, "hostname") ?? Text(answer, "apk_package_name");
        if (settings.Hostnames.Count > 0 && !settings.Hostnames.Any(allowed => HostnameMatches(allowed, hostname)))
        {
            return $"solved on hostname '{hostname}', not one of Otp:BotCheck:Hostnames";
        }

        if (settings.Action is { Length: > 0 } expected && Text(answer, "action") is { } action && !string.Equals(action, expected, StringComparison.Ordinal))
        {
            return $"action '{action}' is not Otp:BotCheck:Action '{expected}'";
        }

        // reCAPTCHA v3 passes every well-formed token and grades it; v2 tokens carry no score.
        if (settings.Provider == BotCheckProvider.Recaptcha && answer.TryGetProperty("score", out var score))
        {
            if (score.ValueKind != JsonValueKind.Number)
            {
                return "score is not a number";
            }

            if (score.GetDouble() < settings.MinScore)
            {
                return FormattableString.Invariant($"score {score.GetDouble():0.0#} below {settings.MinScore:0.0#}");
            }
        }

        return null;
    }

    /// <summary>Exact, case-insensitive; <c>*.example.com</c> takes any subdomain of example.com (not example.com itself).</summary>
    public static bool HostnameMatches(string allowed, string? hostname) =>
        hostname is { Length: > 0 }
        && (allowed.StartsWith("*.", StringComparison.Ordinal)
            ? hostname.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase) && hostname.Length > allowed.Length - 1
            : string.Equals(allowed, hostname, StringComparison.OrdinalIgnoreCase));

    private static string? Text(JsonElement answer, string name) =>
        answer.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

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
            case BotCheckOutcome.Misconfigured:
                OtpLog.BotCheckMisconfigured(logger, provider, Bounded(reason));
                break;
            case BotCheckOutcome.Unreadable:
                OtpLog.BotCheckUnavailable(logger, provider, Bounded(reason), false);
                break;
        }

        return outcome;
    }

    // Error codes come from the provider: keep a hostile or broken answer from flooding the log.
    private static string Bounded(string reason) => reason.Length <= 200 ? reason : reason[..200];
}
