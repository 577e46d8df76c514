using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Sending;

public sealed class SendCodeTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private OtpHost Host => fixture.Host;

    [Fact]
    public async Task ReturnsAcceptedWithMaskedDestinationGivenValidPhone()
    {
        var body = await Host.SendAsync("+14155550100");

        Assert.Equal("sms", body.GetProperty("channel").GetString());
        Assert.Equal("+1415*****00", body.GetProperty("to").GetString());
        Assert.Equal("pending", body.GetProperty("status").GetString());
        Assert.Equal(5, body.GetProperty("attemptsLeft").GetInt32());
        Assert.Equal(44, body.GetProperty("id").GetString()!.Length);
        var expiresAt = DateTimeOffset.Parse(body.GetProperty("expiresAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));
        Assert.EndsWith("Z", body.GetProperty("resendAfter").GetString());
    }

    [Fact]
    public async Task DeliversCodeOfConfiguredLengthThroughTheQueue()
    {
        var body = await Host.SendAsync(Destinations.Email(), channel: "email");
        var id = body.GetProperty("id").GetString()!;

        var code = await Host.Delivery.WaitForCodeAsync(id);

        Assert.Matches("^[0-9]{6}$", code);
        var status = await Host.Client.GetFromJsonAsync<JsonElement>($"otp/{id}");
        await Eventually.GetAsync(() => Host.StatusAsync(id), body => body.DeliveryStatus() == "sent", body => $"delivery never became sent: {body}");
        Assert.Equal("email", status.GetProperty("channel").GetString());
    }

    [Fact]
    public async Task CountsSendsLeftPerDestination()
    {
        var to = Destinations.Phone();
        var first = await Host.SendAsync(to);
        var second = await Host.SendAsync(to);

        Assert.Equal(4, first.GetProperty("sendsLeft").GetInt32());
        Assert.Equal(3, second.GetProperty("sendsLeft").GetInt32());
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("[]", "JSON object")]
    [InlineData("\"sms\"", "JSON object")]
    [InlineData("", "JSON object")]
    [InlineData("{\"to\":\"+14155550100\"}", "channel is required")]
    [InlineData("{\"channel\":\"fax\",\"to\":\"+14155550100\"}", "channel must be")]
    [InlineData("{\"channel\":1,\"to\":\"+14155550100\"}", "channel must be a string")]
    [InlineData("{\"channel\":\"sms\"}", "to is required")]
    [InlineData("{\"channel\":\"sms\",\"to\":14155550100}", "to must be a string")]
    [InlineData("{\"channel\":\"sms\",\"to\":\"4155550100\"}", "E.164")]
    [InlineData("{\"channel\":\"sms\",\"to\":\"+1415\"}", "E.164")]
    [InlineData("{\"channel\":\"sms\",\"to\":\"+1415555\"}", "not a valid phone number")]
    [InlineData("{\"channel\":\"sms\",\"to\":\"+10005550100\"}", "not a valid phone number")]
    [InlineData("{\"channel\":\"sms\",\"to\":\"ada@example.com\"}", "E.164")]
    [InlineData("{\"channel\":\"email\",\"to\":\"+14155550100\"}", "valid email")]
    [InlineData("{\"channel\":\"email\",\"to\":\"ada@\"}", "valid email")]
    [InlineData("{\"channel\":\"email\",\"to\":\"ada example@example.com\"}", "valid email")]
    [InlineData("{\"channel\":\"email\",\"to\":\"ada@example\"}", "valid email")]
    [InlineData("{\"channel\":\"sms\",\"to\":\"+14155550100\",\"purpose\":\"Log In!\"}", "purpose must be")]
    [InlineData("{\"channel\":\"sms\",\"to\":\"+14155550100\",\"purpose\":7}", "purpose must be a string")]
    [InlineData("{\"channel\":\"sms\",\"to\":\"+14155550100\",\"locale\":[\"en\"]}", "locale must be a string")]
    [InlineData("{\"channel\":\"sms\",\"to\":\"+14155550100\",\"purpose\":\"login\\n\"}", "purpose must be")]
    [InlineData("{\"channel\":\"sms\",\"to\":\"\\ud800\"}", "not valid Unicode")]
    public async Task ReturnsInvalidRequestGivenBadBody(string json, string reason)
    {
        using var response = await Host.Client.PostAsync("otp", new StringContent(json, Encoding.UTF8, "application/json"));

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
        Assert.Contains(reason, body.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task RefusesBodiesAForeignPageCouldPostWithoutPreflight(string contentType)
    {
        var content = new StringContent("{\"channel\":\"sms\",\"to\":\"+14155550100\"}");
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        using var response = await Host.Client.PostAsync("otp", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("application/json", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcceptsJsonBodyWithoutContentType()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes($"{{\"channel\":\"sms\",\"to\":\"{Destinations.Phone()}\"}}"));

        using var response = await Host.Client.PostAsync("otp", content);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task ReturnsInvalidRequestGivenOversizedBody()
    {
        var json = "{\"channel\":\"sms\",\"to\":\"+14155550100\",\"pad\":\"" + new string('x', 10_000) + "\"}";

        using var response = await Host.Client.PostAsync("otp", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("4096", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString());
    }

    [Fact]
    public async Task AnswersNotFoundGivenUnsupportedMethod()
    {
        using var response = await Host.Client.PutAsync("otp", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AcceptsUnknownLocaleAndFallsBackToEnglish()
    {
        using var unknown = await Host.Client.PostAsJsonAsync("otp", new { channel = "sms", to = Destinations.Phone(), locale = "xx-!!" });
        using var spanish = await Host.Client.PostAsJsonAsync("otp", new { channel = "sms", to = Destinations.Phone(), locale = "es" });

        var id = (await Contract.AssertStatusAsync(unknown, HttpStatusCode.Accepted)).Id();
        var code = await Host.Delivery.WaitForCodeAsync(id);
        var text = Assert.Single(Host.Delivery.For(id)).Message.Text;
        Assert.StartsWith($"{code} is your ", text, StringComparison.Ordinal);
        Assert.Contains("It expires in 10 min. Do not share it.", text, StringComparison.Ordinal);
        // Positive control: the locale does reach the message, so English above is the fallback, not the only template.
        var spanishId = (await Contract.AssertStatusAsync(spanish, HttpStatusCode.Accepted)).Id();
        var spanishCode = await Host.Delivery.WaitForCodeAsync(spanishId);
        Assert.StartsWith($"{spanishCode} es tu código de ", Assert.Single(Host.Delivery.For(spanishId)).Message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplaysFirstAnswerGivenSameIdempotencyKey()
    {
        var to = Destinations.Phone();
        var key = Guid.NewGuid().ToString();

        var first = await SendWithKeyAsync(to, key);
        var second = await SendWithKeyAsync(to, key);

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Equal(HttpStatusCode.Accepted, second.Status);
        Assert.Equal(first.Body.GetProperty("id").GetString(), second.Body.GetProperty("id").GetString());
        await Host.Delivery.WaitForCodeAsync(first.Body.GetProperty("id").GetString()!);
        await Task.Delay(500);
        Assert.Single(Host.Delivery.For(first.Body.GetProperty("id").GetString()!));
        var status = await Host.Client.GetFromJsonAsync<JsonElement>($"otp/{first.Body.GetProperty("id").GetString()}");
        Assert.Equal(4, status.GetProperty("sendsLeft").GetInt32());
    }

    [Fact]
    public async Task KeepsFirstCodeWorkingGivenReplayedIdempotencyKey()
    {
        var to = Destinations.Phone();
        var key = Guid.NewGuid().ToString();
        var first = await SendWithKeyAsync(to, key);
        var code = await Host.Delivery.WaitForCodeAsync(first.Body.Id());

        var replay = await SendWithKeyAsync(to, key);
        using var verify = await Host.VerifyAsync(first.Body.Id(), code);
        var otherKey = await SendWithKeyAsync(to, Guid.NewGuid().ToString());

        // The replay answers the first send and neither supersedes nor re-sends: the one code delivered still verifies.
        Assert.Equal(first.Body.Id(), replay.Body.Id());
        Assert.Equal(first.Body.GetProperty("expiresAt").GetDateTimeOffset(), replay.Body.GetProperty("expiresAt").GetDateTimeOffset());
        await Contract.AssertStatusAsync(verify, HttpStatusCode.OK);
        Assert.Single(Host.Delivery.For(first.Body.Id()));
        // Positive control: another key with the same body is a new send, so the key is what makes the replay.
        Assert.Equal(HttpStatusCode.Accepted, otherKey.Status);
        Assert.NotEqual(first.Body.Id(), otherKey.Body.Id());
    }

    [Fact]
    public async Task RefusesIdempotencyKeyReusedWithOtherBody()
    {
        var key = Guid.NewGuid().ToString();
        await SendWithKeyAsync(Destinations.Phone(), key);

        var second = await SendWithKeyAsync(Destinations.Phone(), key);

        Assert.Equal(HttpStatusCode.BadRequest, second.Status);
        Assert.Equal("invalid_request", second.Body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ReturnsRateLimitedAfterMaxSendsPerDestination()
    {
        var to = Destinations.Phone();
        for (var i = 0; i < 5; i++)
        {
            await Host.SendAsync(to);
        }

        using var response = await Host.Client.PostAsJsonAsync("otp", new { channel = "sms", to });

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        Assert.Equal("rate_limited", body.GetProperty("error").GetString());
        var retryAfter = int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 500, 600);
        Assert.Equal(retryAfter, body.GetProperty("retryAfter").GetInt32());
    }

    [Fact]
    public async Task SupersedesPendingCodeGivenNewSendToSameDestinationAndPurpose()
    {
        var to = Destinations.Phone();
        var old = (await Host.SendAsync(to)).GetProperty("id").GetString()!;
        var oldCode = await Host.Delivery.WaitForCodeAsync(old);
        var other = (await Host.SendAsync(to, purpose: "payment")).GetProperty("id").GetString()!;
        var fresh = (await Host.SendAsync(to)).GetProperty("id").GetString()!;

        using var response = await Host.VerifyAsync(old, oldCode);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("expired", (await Host.Client.GetFromJsonAsync<JsonElement>($"otp/{old}")).GetProperty("status").GetString());
        Assert.Equal("pending", (await Host.Client.GetFromJsonAsync<JsonElement>($"otp/{other}")).GetProperty("status").GetString());
        Assert.Equal("pending", (await Host.Client.GetFromJsonAsync<JsonElement>($"otp/{fresh}")).GetProperty("status").GetString());
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendWithKeyAsync(string to, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "otp") { Content = JsonContent.Create(new { channel = "sms", to }) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await Host.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }
}
