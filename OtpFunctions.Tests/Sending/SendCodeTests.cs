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
        using var response = await Host.Client.PostAsJsonAsync("otp", new { channel = "sms", to = "+14155550100" });

        var raw = await Contract.AssertStatusAsync(response, HttpStatusCode.Accepted);
        var body = raw.Deserialize<SendAnswer>(JsonSerializerOptions.Web)!;
        Assert.Equal("sms", body.Channel);
        Assert.Equal("+1415*****00", body.To);
        Assert.Equal("pending", body.Status);
        Assert.Equal(5, body.AttemptsLeft);
        Assert.Equal(44, body.Id.Length);
        Assert.InRange(body.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));
        Assert.EndsWith("Z", raw.GetProperty("resendAfter").GetString());
    }

    [Fact]
    public async Task DeliversCodeOfConfiguredLengthThroughTheQueue()
    {
        var id = await Host.SendAsync(Destinations.Email(), channel: "email");

        var code = await Host.Delivery.WaitForCodeAsync(id);

        Assert.Matches("^[0-9]{6}$", code);
        await Host.WaitForDeliveryAsync(id, "sent");
        Assert.Equal("email", (await Host.StatusAsync(id)).Channel);
    }

    [Fact]
    public async Task CountsSendsLeftPerDestination()
    {
        var to = Destinations.Phone();
        var first = await Host.SendForAnswerAsync(to);
        var second = await Host.SendForAnswerAsync(to);

        Assert.Equal(4, first.SendsLeft);
        Assert.Equal(3, second.SendsLeft);
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
    [InlineData("{\"channel\":\"whatsapp\",\"to\":\"ada@example.com\"}", "E.164")]
    [InlineData("{\"channel\":\"sms\",\"to\":\"+14155550100\",\"fallback\":\"voice\"}", "fallback must be an array")]
    [InlineData("{\"channel\":\"sms\",\"to\":\"+14155550100\",\"fallback\":[1]}", "fallback must be an array")]
    [InlineData("{\"channel\":\"sms\",\"to\":\"+14155550100\",\"fallback\":[\"email\"]}", "fallback may name only")]
    [InlineData("{\"channel\":\"sms\",\"to\":\"+14155550100\",\"fallback\":[\"fax\"]}", "fallback may name only")]
    [InlineData("{\"channel\":\"sms\",\"to\":\"+14155550100\",\"fallback\":[\"sms\"]}", "twice")]
    [InlineData("{\"channel\":\"sms\",\"to\":\"+14155550100\",\"fallback\":[\"voice\",\"voice\"]}", "twice")]
    [InlineData("{\"channel\":\"email\",\"to\":\"ada@example.com\",\"fallback\":[\"sms\"]}", "email takes none")]
    public async Task ReturnsInvalidRequestGivenBadBody(string json, string reason)
    {
        using var response = await Host.Client.PostAsync("otp", new StringContent(json, Encoding.UTF8, "application/json"));

        var error = await Contract.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task ReturnsInvalidRequestGivenOversizedBody()
    {
        var json = "{\"channel\":\"sms\",\"to\":\"+14155550100\",\"pad\":\"" + new string('x', 10_000) + "\"}";

        using var response = await Host.Client.PostAsync("otp", new StringContent(json, Encoding.UTF8, "application/json"));

        var error = await Contract.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("4096", error.Message);
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

        var id = (await Contract.ReadAsync<SendAnswer>(unknown, HttpStatusCode.Accepted)).Id;
        var code = await Host.Delivery.WaitForCodeAsync(id);
        var text = Assert.Single(Host.Delivery.For(id)).Message.Text;
        Assert.StartsWith($"{code} is your ", text, StringComparison.Ordinal);
        Assert.Contains("It expires in 10 min. Do not share it.", text, StringComparison.Ordinal);
        // Positive control: the locale does reach the message, so English above is the fallback, not the only template.
        var spanishId = (await Contract.ReadAsync<SendAnswer>(spanish, HttpStatusCode.Accepted)).Id;
        var spanishCode = await Host.Delivery.WaitForCodeAsync(spanishId);
        Assert.StartsWith($"{spanishCode} es tu código de ", Assert.Single(Host.Delivery.For(spanishId)).Message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplaysFirstAnswerGivenSameIdempotencyKey()
    {
        var to = Destinations.Phone();
        var key = Guid.NewGuid().ToString();

        using var first = await SendWithKeyAsync(to, key);
        using var second = await SendWithKeyAsync(to, key);

        var firstId = (await Contract.ReadAsync<SendAnswer>(first, HttpStatusCode.Accepted)).Id;
        Assert.Equal(firstId, (await Contract.ReadAsync<SendAnswer>(second, HttpStatusCode.Accepted)).Id);
        await Host.Delivery.WaitForCodeAsync(firstId);
        // Anything the replay had queued is handled once the queue is empty again: no fixed wait to outlast.
        await Host.WaitForQueueDrainedAsync();
        Assert.Single(Host.Delivery.For(firstId));
        Assert.Equal(4, (await Host.StatusAsync(firstId)).SendsLeft);
    }

    [Fact]
    public async Task KeepsFirstCodeWorkingGivenReplayedIdempotencyKey()
    {
        var to = Destinations.Phone();
        var key = Guid.NewGuid().ToString();
        var first = await SendWithKeyForAnswerAsync(to, key);
        var code = await Host.Delivery.WaitForCodeAsync(first.Id);

        var replay = await SendWithKeyForAnswerAsync(to, key);
        using var verify = await Host.VerifyAsync(first.Id, code);
        var otherKey = await SendWithKeyForAnswerAsync(to, Guid.NewGuid().ToString());

        // The replay answers the first send and neither supersedes nor re-sends: the one code delivered still verifies.
        Assert.Equal(first.Id, replay.Id);
        Assert.Equal(first.ExpiresAt, replay.ExpiresAt);
        await Contract.AssertStatusAsync(verify, HttpStatusCode.OK);
        Assert.Single(Host.Delivery.For(first.Id));
        // Positive control: another key with the same body is a new send, so the key is what makes the replay.
        Assert.NotEqual(first.Id, otherKey.Id);
    }

    [Fact]
    public async Task RefusesIdempotencyKeyReusedWithOtherBody()
    {
        var key = Guid.NewGuid().ToString();
        await SendWithKeyForAnswerAsync(Destinations.Phone(), key);

        using var second = await SendWithKeyAsync(Destinations.Phone(), key);

        await Contract.AssertErrorAsync(second, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("purpose", "signup")]
    [InlineData("locale", "es")]
    public async Task RefusesIdempotencyKeyReusedWithAnotherPurposeOrLocale(string field, string value)
    {
        var to = Destinations.Phone();
        var key = Guid.NewGuid().ToString();
        var first = await SendWithKeyForAnswerAsync(to, key);

        // Same destination, same key: only the purpose or the locale differs, and each changes what the user receives.
        using var request = new HttpRequestMessage(HttpMethod.Post, "otp")
        {
            Content = JsonContent.Create(new Dictionary<string, string> { ["channel"] = "sms", ["to"] = to, [field] = value }),
        };
        request.Headers.Add("Idempotency-Key", key);
        using var second = await Host.Client.SendAsync(request);

        var error = await Contract.AssertErrorAsync(second, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("Idempotency-Key", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, (await Host.StatusAsync(first.Id)).SendsLeft);
        Assert.Equal("pending", (await Host.StatusAsync(first.Id)).Status);
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

        var error = await Contract.AssertErrorAsync(response, HttpStatusCode.TooManyRequests, "rate_limited");
        var retryAfter = int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 500, 600);
        Assert.Equal(retryAfter, error.RetryAfter);
    }

    [Fact]
    public async Task SupersedesPendingCodeGivenNewSendToSameDestinationAndPurpose()
    {
        var to = Destinations.Phone();
        var old = await Host.SendAsync(to);
        var oldCode = await Host.Delivery.WaitForCodeAsync(old);
        var other = await Host.SendAsync(to, purpose: "payment");
        var fresh = await Host.SendAsync(to);

        using var response = await Host.VerifyAsync(old, oldCode);

        await Contract.AssertErrorAsync(response, HttpStatusCode.Gone, "expired");
        Assert.Equal("expired", (await Host.StatusAsync(old)).Status);
        Assert.Equal("pending", (await Host.StatusAsync(other)).Status);
        Assert.Equal("pending", (await Host.StatusAsync(fresh)).Status);
    }

    private async Task<HttpResponseMessage> SendWithKeyAsync(string to, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "otp") { Content = JsonContent.Create(new { channel = "sms", to }) };
        request.Headers.Add("Idempotency-Key", key);
        return await Host.Client.SendAsync(request);
    }

    private async Task<SendAnswer> SendWithKeyForAnswerAsync(string to, string key)
    {
        using var response = await SendWithKeyAsync(to, key);
        return await Contract.ReadAsync<SendAnswer>(response, HttpStatusCode.Accepted);
    }
}
