namespace OtpFunctions.Client;

/// <summary>
/// Sets who is calling on every try: it sits inside the retry handler, so a retried send carries a fresh bot
/// token (they are single use) and the same <c>Idempotency-Key</c> the first try carried.
/// </summary>
internal sealed class CallerHeadersHandler(OtpClientOptions options) : DelegatingHandler
{
    internal static readonly HttpRequestOptionsKey<string> CallBotToken = new("OtpFunctions.BotToken");

    internal static readonly HttpRequestOptionsKey<bool> WantsBotToken = new("OtpFunctions.WantsBotToken");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (options.ApiKey is { Length: > 0 } key)
        {
            request.Headers.Remove("X-Api-Key");
            request.Headers.TryAddWithoutValidation("X-Api-Key", key);
        }

        if (request.Options.TryGetValue(WantsBotToken, out var wants) && wants && await BotTokenAsync(request, cancellationToken) is { Length: > 0 } token)
        {
            request.Headers.Remove("X-Bot-Token");
            request.Headers.TryAddWithoutValidation("X-Bot-Token", token);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<string?> BotTokenAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(CallBotToken, out var perCall))
        {
            return perCall;
        }

        return options.BotTokenProvider is { } provider ? await provider(cancellationToken).ConfigureAwait(false) : options.BotToken;
    }
}
