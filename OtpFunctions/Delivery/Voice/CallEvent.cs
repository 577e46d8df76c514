using System.Text.Json;

namespace OtpFunctions.Delivery.Voice;

/// <summary>
/// One Call Automation callback (a CloudEvent: <c>type</c> <c>Microsoft.Communication.CallConnected</c> and the like,
/// <c>data.callConnectionId</c>, <c>data.resultInformation</c>), reduced to what the voice flow reads.
/// </summary>
public sealed record CallEvent(string Type, string? CallConnectionId, string? Result)
{
    private const string Prefix = "Microsoft.Communication.";

    /// <summary>Parses the array body ACS posts; throws <see cref="FormatException"/>, with a reason, otherwise.</summary>
    public static IReadOnlyList<CallEvent> ParseMany(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8Json.ToArray());
            var items = document.RootElement.ValueKind switch
            {
                JsonValueKind.Array => document.RootElement.EnumerateArray().ToList(),
                JsonValueKind.Object => [document.RootElement],
                _ => throw new FormatException("The body is neither a CloudEvent nor an array of them."),
            };
            return items.Select(Read).ToArray();
        }
        catch (JsonException exception)
        {
            throw new FormatException("The body is not JSON.", exception);
        }
    }

    /// <summary>The event's name without the namespace: <c>CallConnected</c>, <c>PlayCompleted</c>, …</summary>
    public string Name => Type.StartsWith(Prefix, StringComparison.Ordinal) ? Type[Prefix.Length..] : Type;

    private static CallEvent Read(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            throw new FormatException("Each CloudEvent needs a type.");
        }

        var data = item.TryGetProperty("data", out var found) && found.ValueKind == JsonValueKind.Object ? found : default;
        return new CallEvent(type.GetString()!, Text(data, "callConnectionId"), Reason(data));
    }

    /// <summary>resultInformation's code, subCode and message, short: a reason for the delivery status, never a number or text spoken.</summary>
    private static string? Reason(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("resultInformation", out var result) || result.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var code = result.TryGetProperty("code", out var c) ? c.ToString() : "?";
        var subCode = result.TryGetProperty("subCode", out var s) ? s.ToString() : "?";
        var message = Text(result, "message");
        var reason = $"{code}/{subCode}" + (message is null ? "" : " " + message);
        return reason.Length <= 120 ? reason : reason[..120];
    }

    private static string? Text(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
