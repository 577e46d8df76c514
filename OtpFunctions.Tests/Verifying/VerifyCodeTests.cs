using System.Net;
using System.Text;
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

        var body = await Contract.ReadAsync<ApprovedAnswer>(response, HttpStatusCode.OK);
        Assert.Equal("approved", body.Status);
        Assert.Equal(3, body.Session.Token.Split('.').Length);
        Assert.Equal("approved", (await Host.StatusAsync(id)).Status);
    }

    [Fact]
    public async Task ReturnsAlreadyVerifiedGivenSecondUseOfCode()
    {
        var (id, code) = await SendAndReceiveAsync();
        (await Host.VerifyAsync(id, code)).Dispose();

        using var response = await Host.VerifyAsync(id, code);

        await Contract.AssertErrorAsync(response, HttpStatusCode.Conflict, "already_verified");
    }

    [Fact]
    public async Task CountsWrongCodesThenLocks()
    {
        var (id, code) = await SendAndReceiveAsync();
        var wrong = Contract.WrongCode(code);

        for (var left = 4; left >= 0; left--)
        {
            using var response = await Host.VerifyAsync(id, wrong);
            Assert.Equal(left, (await Contract.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_code")).AttemptsLeft);
        }

        using var locked = await Host.VerifyAsync(id, code);
        await Contract.AssertErrorAsync(locked, HttpStatusCode.Locked, "locked");
        Assert.Equal("locked", (await Host.StatusAsync(id)).Status);
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

        var error = await Contract.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains(reason, error.Message);
        Assert.Equal(5, (await Host.StatusAsync(id)).AttemptsLeft);
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
        using var resend = await Host.ResendAsync(id);
        using var cancel = await Host.CancelAsync(id);

        foreach (var response in new[] { verify, status, resend, cancel })
        {
            await Contract.AssertErrorAsync(response, HttpStatusCode.NotFound, "not_found");
        }
    }

    [Fact]
    public async Task ReturnsGoneAfterCancel()
    {
        var (id, code) = await SendAndReceiveAsync();

        using var cancel = await Host.CancelAsync(id);
        using var verify = await Host.VerifyAsync(id, code);

        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        await Contract.AssertErrorAsync(verify, HttpStatusCode.Gone, "expired");
        Assert.Equal("canceled", (await Host.StatusAsync(id)).Status);
    }

    [Fact]
    public async Task ReturnsGoneAfterCancelOfLockedChallenge()
    {
        var (id, code) = await SendAndReceiveAsync();
        for (var i = 0; i < 5; i++)
        {
            (await Host.VerifyAsync(id, Contract.WrongCode(code))).Dispose();
        }

        using var cancel = await Host.CancelAsync(id);
        using var verify = await Host.VerifyAsync(id, code);

        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        await Contract.AssertErrorAsync(verify, HttpStatusCode.Gone, "expired");
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
        Assert.Equal(15, responses.Count(r => r.StatusCode == HttpStatusCode.Locked));
        var attemptsLeft = await Task.WhenAll(counted.Select(async r => (await Contract.AssertErrorAsync(r, HttpStatusCode.BadRequest, "invalid_code")).AttemptsLeft));
        Assert.Equal([0, 1, 2, 3, 4], attemptsLeft.Order());
        using var right = await Host.VerifyAsync(id, code);
        await Contract.AssertErrorAsync(right, HttpStatusCode.Locked, "locked");
    }

    private async Task<(string Id, string Code)> SendAndReceiveAsync()
    {
        var id = await Host.SendAsync(Destinations.Phone());
        return (id, await Host.Delivery.WaitForCodeAsync(id));
    }
}
