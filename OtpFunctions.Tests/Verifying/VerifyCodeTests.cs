using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Verifying;

public sealed class VerifyCodeTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private OtpHost Host => fixture.Host;

    [Fact]
    public async Task ReturnsApprovedWithSessionGivenRightCode()
    {
        var (id, code) = await SendAndReceiveAsync();

        using var response = await Host.VerifyAsync(id, code);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("approved", body.GetProperty("status").GetString());
        Assert.Equal(3, body.GetProperty("session").GetProperty("token").GetString()!.Split('.').Length);
        Assert.Equal("approved", (await Host.Client.GetFromJsonAsync<JsonElement>($"otp/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ReturnsAlreadyVerifiedGivenSecondUseOfCode()
    {
        var (id, code) = await SendAndReceiveAsync();
        (await Host.VerifyAsync(id, code)).Dispose();

        using var response = await Host.VerifyAsync(id, code);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("already_verified", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task CountsWrongCodesThenLocks()
    {
        var (id, code) = await SendAndReceiveAsync();
        var wrong = Contract.WrongCode(code);

        for (var left = 4; left >= 0; left--)
        {
            using var response = await Host.VerifyAsync(id, wrong);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_code", body.GetProperty("error").GetString());
            Assert.Equal(left, body.GetProperty("attemptsLeft").GetInt32());
        }

        using var locked = await Host.VerifyAsync(id, code);
        Assert.Equal((HttpStatusCode)423, locked.StatusCode);
        Assert.Equal("locked", (await locked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal("locked", (await Host.Client.GetFromJsonAsync<JsonElement>($"otp/{id}")).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("{\"code\":\"12345\"}", "exactly 6 digits")]
    [InlineData("{\"code\":\"1234567\"}", "exactly 6 digits")]
    [InlineData("{\"code\":\"12a456\"}", "exactly 6 digits")]
    [InlineData("{\"code\":\"１２３４５６\"}", "exactly 6 digits")]
    [InlineData("{\"code\":123456}", "code must be a string")]
    [InlineData("{\"code\":null}", "code is required")]
    [InlineData("{}", "code is required")]
    [InlineData("{\"code\":", "not valid JSON")]
    [InlineData("[\"123456\"]", "JSON object")]
    public async Task ReturnsInvalidRequestWithoutCountingGivenMalformedCode(string json, string reason)
    {
        var (id, _) = await SendAndReceiveAsync();

        using var response = await Host.Client.PostAsync($"otp/{id}/verify", new StringContent(json, Encoding.UTF8, "application/json"));

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
        Assert.Contains(reason, body.GetProperty("message").GetString());
        Assert.Equal(5, (await Host.Client.GetFromJsonAsync<JsonElement>($"otp/{id}")).GetProperty("attemptsLeft").GetInt32());
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("ErbMSgEQQRubJRIt1uo7UwXKxjPX_4ll1M-MPP33b5Nw")]
    [InlineData("ErbMSgEQQRubJRIt1uo7UwXKxjPX_4ll1M-MPP33b5N!")]
    [InlineData("a.b")]
    public async Task ReturnsNotFoundGivenUnknownOrMalformedId(string id)
    {
        using var verify = await Host.VerifyAsync(id, "123456");
        using var status = await Host.Client.GetAsync($"otp/{id}");
        using var resend = await Host.Client.PostAsync($"otp/{id}/resend", null);
        using var cancel = await Host.Client.DeleteAsync($"otp/{id}");

        Assert.All(new[] { verify, status, resend, cancel }, response => Assert.Equal(HttpStatusCode.NotFound, response.StatusCode));
        Assert.Equal("not_found", (await verify.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task ReturnsGoneAfterCancel()
    {
        var (id, code) = await SendAndReceiveAsync();

        using var cancel = await Host.Client.DeleteAsync($"otp/{id}");
        using var verify = await Host.VerifyAsync(id, code);

        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, verify.StatusCode);
        Assert.Equal("canceled", (await Host.Client.GetFromJsonAsync<JsonElement>($"otp/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ReturnsGoneAfterCancelOfLockedChallenge()
    {
        var (id, code) = await SendAndReceiveAsync();
        for (var i = 0; i < 5; i++)
        {
            (await Host.VerifyAsync(id, Contract.WrongCode(code))).Dispose();
        }

        using var cancel = await Host.Client.DeleteAsync($"otp/{id}");
        using var verify = await Host.VerifyAsync(id, code);

        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, verify.StatusCode);
    }

    [Fact]
    public async Task ApprovesExactlyOnceGivenTwentyConcurrentRightCodes()
    {
        var (id, code) = await SendAndReceiveAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Host.VerifyAsync(id, code)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task CountsEveryWrongCodeGivenTwentyConcurrentWrongCodes()
    {
        var (id, code) = await SendAndReceiveAsync();
        var wrong = Contract.WrongCode(code);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Host.VerifyAsync(id, wrong)));

        var counted = responses.Where(r => r.StatusCode == HttpStatusCode.BadRequest).ToArray();
        Assert.Equal(5, counted.Length);
        Assert.Equal(15, responses.Count(r => r.StatusCode == (HttpStatusCode)423));
        var attemptsLeft = await Task.WhenAll(counted.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("attemptsLeft").GetInt32()));
        Assert.Equal([0, 1, 2, 3, 4], attemptsLeft.Order());
        using var right = await Host.VerifyAsync(id, code);
        Assert.Equal((HttpStatusCode)423, right.StatusCode);
    }

    private async Task<(string Id, string Code)> SendAndReceiveAsync()
    {
        var id = (await Host.SendAsync(Destinations.Phone())).GetProperty("id").GetString()!;
        return (id, await Host.Delivery.WaitForCodeAsync(id));
    }
}
