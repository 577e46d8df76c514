using System.Threading.Channels;
using OtpFunctions.Challenges;
using OtpFunctions.Http;
using OtpFunctions.Security;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Webhooks;

/// <summary>
/// Takes an event off the request path: it is handed to an in-process outbox and returns at once, so a verify
/// answers without waiting for a storage round trip, and a queue that is down never fails a verify. The
/// <see cref="WebhookOutbox"/> moves it to the queue; the cost is that an event decided in the last moment
/// before the process dies can be lost (documented).
/// </summary>
public sealed class WebhookPublisher(IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookPublisher> logger)
{
    private const int Capacity = 10_000;

    private readonly Channel<WebhookMessage> outbox = System.Threading.Channels.Channel.CreateBounded<WebhookMessage>(new BoundedChannelOptions(Capacity) { SingleWriter = false, FullMode = BoundedChannelFullMode.Wait });

    internal ChannelReader<WebhookMessage> Reader => outbox.Reader;

    internal void Complete() => outbox.Writer.TryComplete();

    public bool Wants(string type) => options.Value.Wants(type);

    public void Publish(string type, Challenge challenge, string? reason = null) =>
        Publish(type, new WebhookData(challenge.Id.Value, ChannelNames.ToWire(challenge.Channel), challenge.MaskedTo, challenge.Purpose, reason));

    /// <summary>An event about something other than one challenge (a blocked prefix): <paramref name="data"/> is its <c>data</c>.</summary>
    public void Publish(string type, object data)
    {
        var endpoints = options.Value.Endpoints.Values.Where(e => e.Events.Contains(type)).ToList();
        if (endpoints.Count == 0)
        {
            return;
        }

        var payload = new WebhookPayload(type, time.GetUtcNow(), data);
        var body = System.Text.Json.JsonSerializer.Serialize(payload, ApiResult.Json);
        foreach (var endpoint in endpoints)
        {
            // One id per event and endpoint, kept across retries: the receiver's idempotency key.
            var message = new WebhookMessage(endpoint.Name, "msg_" + CodeGenerator.NewToken(), type, body, 1);
            if (!outbox.Writer.TryWrite(message))
            {
                OtpLog.WebhookNotQueued(logger, message.Id, type, endpoint.Name, "the outbox is full or the host is stopping");
            }
        }
    }
}
