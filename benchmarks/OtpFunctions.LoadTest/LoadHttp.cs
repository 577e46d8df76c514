using System.Net;
using System.Text.Json;

namespace OtpFunctions.LoadTest;

/// <summary>One call as both load tests count it: the status, the JSON body, and an error label when it was not the expected answer.</summary>
public static class LoadHttp
{
    public static async Task<(HttpStatusCode? Status, JsonElement Body, string? Error)> CallAsync(HttpClient client, HttpRequestMessage request, HttpStatusCode expected)
    {
        try
        {
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();

            // Past saturation a host may answer with an empty or non-JSON body: that is the status's error, not a parse error.
            var body = text.Length > 0 && text[0] == '{' ? JsonSerializer.Deserialize<JsonElement>(text) : default;
            if (response.StatusCode == expected)
            {
                return (response.StatusCode, body, null);
            }

            var code = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var e) ? e.GetString() : null;
            return (response.StatusCode, body, $"{(int)response.StatusCode} {code}".Trim());
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
        {
            return (null, default, exception.GetType().Name);
        }
    }
}
