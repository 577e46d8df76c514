using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Messaging.EventGrid;
using Azure.Messaging.EventGrid.SystemEvents;

namespace OtpFunctions.Delivery.Events;

/// <summary>
/// Reads Event Grid bodies (EventGridEvent schema, an array or one event) sent to <c>POST /api/events/delivery</c>
/// with <c>Azure.Messaging.EventGrid</c>: its envelope parser and its typed system-event data. Data fields are
/// accepted in either casing: ACS's samples spell them PascalCase, while the SDK's models read camelCase only.
/// </summary>
public static partial class DeliveryReportParser
{
    public const string ValidationEventType = SystemEventNames.EventGridSubscriptionValidation;
    public const string SmsDeliveryReportType = SystemEventNames.AcsSmsDeliveryReportReceived;
    public const string EmailDeliveryReportType = SystemEventNames.AcsEmailDeliveryReportReceived;

    /// <summary>WhatsApp (Advanced Messaging) delivery status; the library version in use has no typed model for it.</summary>
    public const string AdvancedMessageDeliveryStatusType = "Microsoft.Communication.AdvancedMessageDeliveryStatusUpdated";

    private const int MaxReasonLength = 120;

    /// <summary>Parses a body; throws <see cref="FormatException"/>, with a reason, when it is not Event Grid JSON.</summary>
    public static DeliveryEventBatch Parse(ReadOnlySpan<byte> utf8Json)
    {
        string? validationCode = null;
        var reports = new List<DeliveryReport>();
        foreach (var item in ParseEnvelopes(utf8Json))
        {
            switch (ReadData(item))
            {
                case SubscriptionValidationEventData validation:
                    validationCode ??= validation.ValidationCode;
                    break;
                case AcsSmsDeliveryReportReceivedEventData sms when ToReport(sms.MessageId, sms.DeliveryStatus, sms.DeliveryStatusDetails) is { } report:
                    reports.Add(report);
                    break;
                case AcsEmailDeliveryReportReceivedEventData email when ToReport(email.MessageId, email.Status?.ToString(), email.DeliveryStatusDetails?.StatusMessage) is { } report:
                    reports.Add(report);
                    break;
                case AdvancedMessageStatus whatsApp when ToReport(whatsApp.MessageId, whatsApp.Status, whatsApp.Error) is { } report:
                    reports.Add(report);
                    break;
            }
        }

        return new DeliveryEventBatch(validationCode, reports);
    }

    public static DeliveryEventBatch Parse(string json) => Parse(System.Text.Encoding.UTF8.GetBytes(json));

    /// <summary>The body Event Grid expects back from the handshake.</summary>
    public static string ValidationResponse(string validationCode) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["validationResponse"] = validationCode });

    /// <summary>The library's envelope parser, its exceptions turned into reasons that never echo the body.</summary>
    private static EventGridEvent[] ParseEnvelopes(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            // The library reads a bare number or string as "an element of the wrong type"; say what is wrong instead.
            var reader = new Utf8JsonReader(utf8Json);
            if (!reader.Read() || reader.TokenType is not (JsonTokenType.StartArray or JsonTokenType.StartObject))
            {
                throw new FormatException("The body is neither an event nor an array of events.");
            }

            RequireEnvelopeFields(utf8Json);
            return EventGridEvent.ParseMany(BinaryData.FromBytes(utf8Json.ToArray()));
        }
        catch (JsonException exception)
        {
            throw new FormatException("The body is not JSON.", exception);
        }
        catch (ArgumentNullException exception)
        {
            // Event Grid always sends id, subject, eventType, eventTime and dataVersion; the library requires them.
            throw new FormatException($"An event lacks the Event Grid field '{JsonNamingPolicy.CamelCase.ConvertName(exception.ParamName ?? "?")}'.", exception);
        }
        catch (InvalidOperationException exception)
        {
            throw new FormatException("An event is not a JSON object with Event Grid's fields, or holds text that is not valid Unicode.", exception);
        }
    }

    /// <summary>
    /// Refuses an event without one of the fields the EventGridEvent schema requires (openapi.json says so too):
    /// Event Grid always sends them, so an event without one is not a delivery to answer 200.
    /// </summary>
    private static void RequireEnvelopeFields(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var events = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
        foreach (var item in events.Where(item => item.ValueKind == JsonValueKind.Object))
        {
            var missing = RequiredEnvelopeFields.FirstOrDefault(name => !item.EnumerateObject().Any(property => property.Name.Equals(name, StringComparison.OrdinalIgnoreCase)));
            if (missing is not null)
            {
                throw new FormatException($"An event lacks the Event Grid field '{missing}'.");
            }
        }
    }

    private static readonly string[] RequiredEnvelopeFields = ["id", "eventType", "subject", "eventTime", "data", "dataVersion"];

    /// <summary>The typed data of the three event types read here; null for anything else (skipped, as before).</summary>
    private static object? ReadData(EventGridEvent item)
    {
        if (item.EventType is not (ValidationEventType or SmsDeliveryReportType or EmailDeliveryReportType or AdvancedMessageDeliveryStatusType) || item.Data is null)
        {
            return null;
        }

        try
        {
            using var data = JsonDocument.Parse(item.Data);
            if (data.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (item.EventType == AdvancedMessageDeliveryStatusType)
            {
                return AdvancedMessageStatus.Read(data.RootElement);
            }

            item.Data = CamelCased(data.RootElement);
            return item.TryGetSystemEventData(out var typed) ? typed : null;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"The data of a {item.EventType} event does not have that event's shape.", exception);
        }
    }

    /// <summary>The same JSON with every property name camelCased, the only casing the SDK's models read.</summary>
    private static BinaryData CamelCased(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, element);
        }

        return new BinaryData(buffer.WrittenMemory);

        static void Write(Utf8JsonWriter writer, JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    writer.WriteStartObject();
                    foreach (var property in element.EnumerateObject())
                    {
                        writer.WritePropertyName(JsonNamingPolicy.CamelCase.ConvertName(property.Name));
                        Write(writer, property.Value);
                    }

                    writer.WriteEndObject();
                    break;
                case JsonValueKind.Array:
                    writer.WriteStartArray();
                    foreach (var item in element.EnumerateArray())
                    {
                        Write(writer, item);
                    }

                    writer.WriteEndArray();
                    break;
                default:
                    element.WriteTo(writer);
                    break;
            }
        }
    }

    private static DeliveryReport? ToReport(string? messageId, string? status, string? details)
    {
        if (string.IsNullOrEmpty(messageId) || string.IsNullOrEmpty(status))
        {
            return null;
        }

        // Intermediate states (Email "Expanded", anything new) say nothing final: skip them.
        DeliveryReportStatus? mapped = status.ToUpperInvariant() switch
        {
            "DELIVERED" or "READ" => DeliveryReportStatus.Delivered,
            "FAILED" or "QUARANTINED" or "FILTEREDSPAM" or "SUPPRESSED" or "EXPIRED" or "UNDELIVERABLE" or "REJECTED" => DeliveryReportStatus.Failed,
            _ => null,
        };
        return mapped switch
        {
            null => null,
            DeliveryReportStatus.Failed => new DeliveryReport(messageId, DeliveryReportStatus.Failed, Reason(status, details)),
            _ => new DeliveryReport(messageId, mapped.Value, null),
        };
    }

    /// <summary>The status plus the provider's detail, with anything that looks like an address or number masked.</summary>
    private static string Reason(string status, string? details)
    {
        if (string.IsNullOrWhiteSpace(details))
        {
            return status;
        }

        var masked = PhoneLike().Replace(EmailLike().Replace(details, "***"), "***");
        var reason = $"{status}: {masked}";
        return reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength];
    }

    [GeneratedRegex(@"[^\s@<>""']+@[^\s@<>""']+")]
    private static partial Regex EmailLike();

    [GeneratedRegex(@"\+?\d[\d\s\-]{5,}\d")]
    private static partial Regex PhoneLike();

    /// <summary>
    /// The fields of <c>AdvancedMessageDeliveryStatusUpdated</c> read here (Event Grid's ACS schema: <c>messageId</c>,
    /// <c>status</c> sent | delivered | read | failed, <c>error.channelCode</c> / <c>error.channelMessage</c>), in either casing.
    /// </summary>
    private sealed record AdvancedMessageStatus(string? MessageId, string? Status, string? Error)
    {
        public static AdvancedMessageStatus Read(JsonElement data) => new(
            Text(data, "messageId"),
            Text(data, "status"),
            Property(data, "error") is { ValueKind: JsonValueKind.Object } error ? string.Join(" ", new[] { Text(error, "channelCode"), Text(error, "channelMessage") ?? Text(error, "message") }.Where(part => part is not null)) : null);

        private static JsonElement? Property(JsonElement data, string name) =>
            data.EnumerateObject().FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: not JsonValueKind.Undefined } found ? found.Value : null;

        private static string? Text(JsonElement data, string name) => Property(data, name) is { } value
            ? value.ValueKind switch { JsonValueKind.String => value.GetString(), JsonValueKind.Number => value.GetRawText(), _ => null }
            : null;
    }
}
