using System.Text.Json.Serialization;

namespace OtpFunctions.Webhooks;

/// <summary>
/// One event for one endpoint on the webhook queue (sealed there by <see cref="WebhookProtector"/>). The body is
/// kept as the exact text that is signed, so every retry sends the same bytes under the same <c>webhook-id</c>;
/// only the timestamp is fresh.
/// </summary>
public sealed record WebhookMessage(string Endpoint, string Id, string Type, string Body, int Attempt);

/// <summary>The body an endpoint receives: <c>{"type", "timestamp", "data"}</c>; data is a <see cref="WebhookData"/> for a challenge's events.</summary>
public sealed record WebhookPayload(string Type, DateTimeOffset Timestamp, object Data);

/// <summary>What happened to which challenge. Masked destination only: never a code or a full address.</summary>
public sealed record WebhookData(
    string Id,
    string Channel,
    string To,
    string Purpose,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null);
