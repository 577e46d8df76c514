using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OtpFunctions.Tests.Support;

/// <summary>Typed calls and reads of the HTTP contract (../shared/api.md (beside the repository)), so tests say what they check instead of how to dig for it.</summary>
public static class Contract
{
    // A field the contract names but the answer lacks fails the read, as GetProperty did.
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary><c>POST /api/otp</c>; asserts <c>202</c> and returns the new challenge's id.</summary>
    public static async Task<string> SendAsync(this OtpHost host, string to, string channel = "sms", string purpose = "login", string? clientIp = null) =>
        (await host.SendForAnswerAsync(to, channel, purpose, clientIp)).Id;

    /// <summary><c>POST /api/otp</c>; asserts <c>202</c> and returns its body.</summary>
    public static async Task<SendAnswer> SendForAnswerAsync(this OtpHost host, string to, string channel = "sms", string purpose = "login", string? clientIp = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "otp") { Content = JsonContent.Create(new { channel, to, purpose }) };
        if (clientIp is not null)
        {
            request.Headers.Add("X-Forwarded-For", clientIp);
        }

        using var response = await host.Client.SendAsync(request);
        return await ReadAsync<SendAnswer>(response, HttpStatusCode.Accepted);
    }

    /// <summary><c>POST /api/otp/{id}/verify</c>, answer unread.</summary>
    public static Task<HttpResponseMessage> VerifyAsync(this OtpHost host, string id, string code) =>
        host.Client.PostAsJsonAsync($"otp/{id}/verify", new { code });

    /// <summary><c>POST /api/otp/{id}/verify</c>; asserts <c>200</c> and returns the approval with its session.</summary>
    public static async Task<ApprovedAnswer> ApproveAsync(this OtpHost host, string id, string code)
    {
        using var response = await host.VerifyAsync(id, code);
        return await ReadAsync<ApprovedAnswer>(response, HttpStatusCode.OK);
    }

    /// <summary>Sends a code, reads it from the delivery and verifies it: the bearer token of a new session.</summary>
    public static async Task<string> SignInAsync(this OtpHost host, string channel = "sms")
    {
        var id = await host.SendAsync(channel == "sms" ? Destinations.Phone() : Destinations.Email(), channel);
        return (await host.ApproveAsync(id, await host.Delivery.WaitForCodeAsync(id))).Session.Token;
    }

    /// <summary><c>GET</c> or <c>DELETE /api/session</c> with the bearer token (none when null), answer unread.</summary>
    public static async Task<HttpResponseMessage> SessionAsync(this OtpHost host, string? token, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, "session");
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        return await host.Client.SendAsync(request);
    }

    /// <summary><c>POST /api/otp/{id}/resend</c>, answer unread.</summary>
    public static Task<HttpResponseMessage> ResendAsync(this OtpHost host, string id) => host.Client.PostAsync($"otp/{id}/resend", null);

    /// <summary><c>DELETE /api/otp/{id}</c>, answer unread.</summary>
    public static Task<HttpResponseMessage> CancelAsync(this OtpHost host, string id) => host.Client.DeleteAsync($"otp/{id}");

    /// <summary><c>GET /api/otp/{id}</c>; asserts <c>200</c>.</summary>
    public static async Task<StatusAnswer> StatusAsync(this OtpHost host, string id)
    {
        using var response = await host.Client.GetAsync($"otp/{id}");
        return await ReadAsync<StatusAnswer>(response, HttpStatusCode.OK);
    }

    /// <summary>Polls <c>GET /api/otp/{id}</c> until <c>delivery.status</c> is <paramref name="status"/>, and returns that delivery.</summary>
    public static async Task<DeliveryAnswer> WaitForDeliveryAsync(this OtpHost host, string id, string status, TimeSpan? timeout = null) =>
        (await Eventually.GetAsync(
            () => host.StatusAsync(id),
            answer => answer.Delivery.Status == status,
            answer => $"delivery never became {status}: {answer.Delivery}",
            timeout)).Delivery;

    /// <summary>Asserts a status and reads the body as <typeparamref name="T"/>.</summary>
    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode status)
    {
        return Parse<T>(await ReadWithStatusAsync(response, status, null));
    }

    /// <summary>Reads <paramref name="json"/> as <typeparamref name="T"/>, failing on a field the contract names but the JSON lacks.</summary>
    public static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, Strict) ?? throw new JsonException($"null body: {json}");

    /// <summary>Asserts an error answer (<c>{"error": code, "message": ...}</c>) and returns it.</summary>
    public static async Task<ErrorAnswer> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var body = Parse<ErrorAnswer>(await ReadWithStatusAsync(response, status, error));
        Assert.Equal(error, body.Error);
        return body;
    }

    /// <summary>Asserts a status and returns the JSON body as it is, for checks of the shape itself.</summary>
    public static async Task<JsonElement> AssertStatusAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await ReadWithStatusAsync(response, status, null);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A code of the same length that differs from <paramref name="code"/> in every digit.</summary>
    public static string WrongCode(string code) => string.Concat(code.Select(c => (char)('0' + ((c - '0' + 1) % 10))));

    private static async Task<string> ReadWithStatusAsync(HttpResponseMessage response, HttpStatusCode status, string? error)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {error}, got {(int)response.StatusCode}: {text}");
        return text;
    }
}
