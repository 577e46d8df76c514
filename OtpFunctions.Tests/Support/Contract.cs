using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OtpFunctions.Tests.Support;

/// <summary>Typed reads of the HTTP contract (/work/shared/api.md), so tests say what they check instead of how to dig for it.</summary>
public static class Contract
{
    /// <summary>Asserts an error answer (<c>{"error": code, ...}</c>) and returns its body for further checks.</summary>
    public static async Task<JsonElement> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {error}, got {(int)response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(error, body.GetProperty("error").GetString());
        return body;
    }

    /// <summary>Asserts a status and returns the JSON body.</summary>
    public static async Task<JsonElement> AssertStatusAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A code of the same length that differs from <paramref name="code"/> in every digit.</summary>
    public static string WrongCode(string code) => string.Concat(code.Select(c => (char)('0' + ((c - '0' + 1) % 10))));

    public static string Id(this JsonElement body) => body.GetProperty("id").GetString()!;

    public static int AttemptsLeft(this JsonElement body) => body.GetProperty("attemptsLeft").GetInt32();

    public static int SendsLeft(this JsonElement body) => body.GetProperty("sendsLeft").GetInt32();

    /// <summary><c>delivery.status</c> of a status answer.</summary>
    public static string DeliveryStatus(this JsonElement body) => body.GetProperty("delivery").GetProperty("status").GetString()!;

    /// <summary><c>GET /api/otp/{id}</c>.</summary>
    public static Task<JsonElement> StatusAsync(this OtpHost host, string id) => host.Client.GetFromJsonAsync<JsonElement>($"otp/{id}");

    /// <summary><c>POST /api/otp/{id}/resend</c>.</summary>
    public static Task<HttpResponseMessage> ResendAsync(this OtpHost host, string id) => host.Client.PostAsync($"otp/{id}/resend", null);
}
