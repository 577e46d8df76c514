using System.Text.Json;
using System.Text.RegularExpressions;

namespace OtpFunctions.Delivery.Events;

public enum DeliveryReportStatus
{
    Delivered,
    Failed,
}

/// <summary>One provider verdict about one message, found by the id the provider gave at send time.</summary>
public sealed record DeliveryReport(string ProviderMessageId, DeliveryReportStatus Status, string? Reason);

/// <summary>What an Event Grid delivery held: a validation handshake, reports, or both (never in practice).</summary>
public sealed record DeliveryEventBatch(string? ValidationCode, IReadOnlyList<DeliveryReport> Reports)
{
    public bool IsValidationHandshake => ValidationCode is not null;
}

/// <summary>
/// Reads Event Grid bodies (EventGridEvent schema, an array) sent to <c>POST /api/events/delivery</c>.
/// Data fields are matched ignoring case: ACS's samples spell them PascalCase, its SDK models camelCase.
/// </summary>
public static partial class DeliveryReportParser
{
    public const string ValidationEventType = "Microsoft.EventGrid.SubscriptionValidationEvent";
    public const string SmsDeliveryReportType = "Microsoft.Communication.SMSDeliveryReportReceived";
    public const string EmailDeliveryReportType = "Microsoft.Communication.EmailDeliveryReportReceived";

    private const int MaxReasonLength = 120;

    /// <summary>Parses a body; throws <see cref="FormatException"/> when it is not Event Grid JSON.</summary>
    public static DeliveryEventBatch Parse(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException exception)
        {
            throw new FormatException("The body is not JSON.", exception);
        }

        using (document)
        {
            var root = document.RootElement;
            IEnumerable<JsonElement> events = root.ValueKind switch
            {
                JsonValueKind.Array => root.EnumerateArray(),
                JsonValueKind.Object => [root],
                _ => throw new FormatException("The body is neither an event nor an array of events."),
            };

            string? validationCode = null;
            var reports = new List<DeliveryReport>();
            foreach (var item in events)
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException("An event is not a JSON object.");
                }

                // "type" is the CloudEvents spelling; accepting it costs nothing.
                var eventType = GetString(item, "eventType") ?? GetString(item, "type");
                var data = Get(item, "data");
                if (data is not { ValueKind: JsonValueKind.Object } payload)
                {
                    continue;
                }

                switch (eventType)
                {
                    case ValidationEventType:
                        validationCode ??= GetString(payload, "validationCode");
                        break;
                    case SmsDeliveryReportType when ParseReport(payload, "deliveryStatus", "deliveryStatusDetails") is { } sms:
                        reports.Add(sms);
                        break;
                    case EmailDeliveryReportType when ParseReport(payload, "status", "deliveryStatusDetails") is { } email:
                        reports.Add(email);
                        break;
                }
            }

            return new DeliveryEventBatch(validationCode, reports);
        }
    }

    public static DeliveryEventBatch Parse(string json) => Parse(System.Text.Encoding.UTF8.GetBytes(json));

    /// <summary>The body Event Grid expects back from the handshake.</summary>
    public static string ValidationResponse(string validationCode) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["validationResponse"] = validationCode });

    private static DeliveryReport? ParseReport(JsonElement data, string statusField, string detailsField)
    {
        var messageId = GetString(data, "messageId");
        var status = GetString(data, statusField);
        if (string.IsNullOrEmpty(messageId) || string.IsNullOrEmpty(status))
        {
            return null;
        }

        // Intermediate states (Email "Expanded", anything new) say nothing final: skip them.
        DeliveryReportStatus? mapped = status.ToUpperInvariant() switch
        {
            "DELIVERED" => DeliveryReportStatus.Delivered,
            "FAILED" or "QUARANTINED" or "FILTEREDSPAM" or "SUPPRESSED" or "EXPIRED" or "UNDELIVERABLE" or "REJECTED" => DeliveryReportStatus.Failed,
            _ => null,
        };
        if (mapped is null)
        {
            return null;
        }

        return new DeliveryReport(messageId, mapped.Value, mapped == DeliveryReportStatus.Failed ? Reason(status, data, detailsField) : null);
    }

    /// <summary>The status plus the provider's detail, with anything that looks like an address or number masked.</summary>
    private static string Reason(string status, JsonElement data, string detailsField)
    {
        var details = Get(data, detailsField) switch
        {
            { ValueKind: JsonValueKind.String } text => text.GetString(),
            { ValueKind: JsonValueKind.Object } detail => GetString(detail, "statusMessage"),
            _ => null,
        };
        if (string.IsNullOrWhiteSpace(details))
        {
            return status;
        }

        var masked = PhoneLike().Replace(EmailLike().Replace(details, "***"), "***");
        var reason = $"{status}: {masked}";
        return reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength];
    }

    private static JsonElement? Get(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static string? GetString(JsonElement element, string name) =>
        Get(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    [GeneratedRegex(@"[^\s@<>""']+@[^\s@<>""']+")]
    private static partial Regex EmailLike();

    [GeneratedRegex(@"\+?\d[\d\s\-]{5,}\d")]
    private static partial Regex PhoneLike();
}
