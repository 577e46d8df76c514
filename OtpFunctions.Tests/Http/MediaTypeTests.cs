using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Http;

/// <summary>
/// api.md: send, resend and verify take a body only as application/json, so a page on another origin cannot make its
/// visitors' browsers post one without a CORS preflight (text/plain, forms and multipart are what it can post freely).
/// </summary>
public sealed class MediaTypeTests : IAsyncLifetime
{
    private OtpHost host = null!;

    public async Task InitializeAsync() => host = await OtpHost.StartAsync(fakeClock: true);

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/vnd.example+json")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData(null)]
    public async Task RefusesSendWhoseBodyIsNotJson(string? contentType)
    {
        var to = Destinations.Phone();

        using var response = await host.Client.PostAsync("otp", Body($"{{\"channel\":\"sms\",\"to\":\"{to}\"}}", contentType));

        await AssertUnsupportedAsync(response);
        // Nothing was counted against the destination, so nothing was sent.
        Assert.Equal(4, (await host.SendForAnswerAsync(to)).SendsLeft);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; charset=\"UTF-8\"")]
    public async Task AcceptsSendGivenJsonWithOrWithoutCharset(string contentType)
    {
        using var response = await host.Client.PostAsync("otp", Body($"{{\"channel\":\"sms\",\"to\":\"{Destinations.Phone()}\"}}", contentType));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task RefusesVerifyWhoseBodyIsNotJsonWithoutCountingAnAttempt(string? contentType)
    {
        var id = await host.SendAsync(Destinations.Phone());
        var code = await host.Delivery.WaitForCodeAsync(id);

        using var refused = await host.Client.PostAsync($"otp/{id}/verify", Body($"{{\"code\":\"{code}\"}}", contentType));

        await AssertUnsupportedAsync(refused);
        Assert.Equal(5, (await host.StatusAsync(id)).AttemptsLeft);
        await host.ApproveAsync(id, code);
    }

    [Theory]
    [InlineData("text/plain", "{}")]
    [InlineData("text/plain", "")]
    [InlineData("application/x-www-form-urlencoded", "channel=voice")]
    [InlineData(null, "{}")]
    public async Task RefusesResendWithABodyOfAnotherType(string? contentType, string body)
    {
        var id = await host.SendAsync(Destinations.Phone());
        host.Clock!.Advance(TimeSpan.FromSeconds(31));

        using var response = await host.Client.PostAsync($"otp/{id}/resend", Body(body, contentType));

        await AssertUnsupportedAsync(response);
        Assert.Equal(4, (await host.StatusAsync(id)).SendsLeft);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("application/json", "{}")]
    [InlineData("application/json", "")]
    public async Task ResendsGivenNoBodyOrAnEmptyJsonObject(string? contentType, string? body)
    {
        var id = await host.SendAsync(Destinations.Phone());
        host.Clock!.Advance(TimeSpan.FromSeconds(31));

        using var response = await host.Client.PostAsync($"otp/{id}/resend", body is null ? null : Body(body, contentType));

        Assert.Equal(3, (await Contract.ReadAsync<SendAnswer>(response, HttpStatusCode.Accepted)).SendsLeft);
    }

    private static ByteArrayContent Body(string text, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return content;
    }

    private static async Task AssertUnsupportedAsync(HttpResponseMessage response)
    {
        var error = await Contract.AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        Assert.Contains("application/json", error.Message, StringComparison.Ordinal);
    }
}
