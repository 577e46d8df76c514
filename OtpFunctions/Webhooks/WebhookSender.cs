using System.Globalization;
using System.Net.Http.Headers;
using OtpFunctions.Telemetry;
using StandardWebhooks;

namespace OtpFunctions.Webhooks;

/// <summary>
/// Posts one queued event to its endpoint, signed per Standard Webhooks (<c>webhook-id</c>,
/// <c>webhook-timestamp</c>, <c>webhook-signature: v1,…</c>). Anything but a 2xx (redirects included) is
/// tried again later with back-off by queueing a copy with a visibility delay; after the last attempt the
/// message goes to the poison queue.
/// </summary>
public sealed class WebhookSender(
    HttpClient http,
    WebhookQueues queues,
    WebhookProtector protector,
    IOptions<WebhookOptions> options,
    IOptions<WebhookRetryOptions> retry,
    TimeProvider time,
    ILogger<WebhookSender> logger)
{
    public async Task SendAsync(string text, CancellationToken cancellationToken)
    {
        // Never signed unless it opens: whoever can write to the queue must not get an event signed for them.
        if (protector.TryOpen(text, out var unopened) is not { } message)
        {
            OtpLog.WebhookMessageRefused(logger, unopened);
            return;
        }

        if (!options.Value.Endpoints.TryGetValue(message.Endpoint, out var endpoint))
        {
            OtpLog.WebhookDropped(logger, message.Id, message.Endpoint, "the endpoint is no longer configured");
            return;
        }

        var failure = await PostAsync(endpoint, message, cancellationToken);
        if (failure is null)
        {
            OtpLog.WebhookDelivered(logger, message.Id, message.Type, endpoint.Name, message.Attempt);
            return;
        }

        if (message.Attempt >= retry.Value.MaxAttempts)
        {
            OtpLog.WebhookPoisoned(logger, message.Id, message.Type, endpoint.Name, message.Attempt, failure);
            await queues.PoisonAsync(text, cancellationToken);
            return;
        }

        var wait = retry.Value.Backoff(message.Attempt);
        OtpLog.WebhookRetrying(logger, message.Id, message.Type, endpoint.Name, message.Attempt, failure, (int)wait.TotalSeconds);
        // Queued again rather than thrown: the trigger's own retry does not back off.
        await queues.SendAsync(protector.Seal(message with { Attempt = message.Attempt + 1 }), wait, cancellationToken);
    }

    /// <summary>Null when the endpoint took the event (2xx); otherwise why not, for the log.</summary>
    private async Task<string?> PostAsync(WebhookEndpoint endpoint, WebhookMessage message, CancellationToken cancellationToken)
    {
        // Signed at each attempt: receivers refuse timestamps older than a few minutes.
        var now = time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(message.Body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", message.Id);
        request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", new StandardWebhook(endpoint.Secret).Sign(message.Id, now, message.Body));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("otp-functions-webhooks", "1"));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(retry.Value.Timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"answered {(int)response.StatusCode}";
        }
        catch (Exception exception) when (exception is HttpRequestException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return exception is OperationCanceledException ? $"no answer within {retry.Value.Timeout.TotalSeconds:0} s" : $"not reachable ({exception.GetType().Name})";
        }
    }
}
