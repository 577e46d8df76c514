using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Sessions;

public sealed class SessionTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private OtpHost Host => fixture.Host;

    [Fact]
    public async Task ReturnsSessionGivenTokenFromVerify()
    {
        var token = await VerifiedTokenAsync("email");

        using var response = await GetSessionAsync(token);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches(@"^u\*+@example\.com$", body.GetProperty("subject").GetString());
        Assert.Equal("email", body.GetProperty("channel").GetString());
        Assert.Equal("login", body.GetProperty("purpose").GetString());
        var issued = body.GetProperty("issuedAt").GetDateTimeOffset();
        var expires = body.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expires - issued, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
    }

    [Fact]
    public async Task RejectsTokenAfterRevoke()
    {
        var token = await VerifiedTokenAsync("sms");

        using var revoke = await SendAsync(HttpMethod.Delete, token);
        using var after = await GetSessionAsync(token);
        using var again = await SendAsync(HttpMethod.Delete, token);

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("unauthorized", (await after.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    [Fact]
    public async Task RevokesOnlyTheSessionWhoseTokenIsPresented()
    {
        var revoked = await VerifiedTokenAsync("sms");
        var other = await VerifiedTokenAsync("sms");

        using var revoke = await SendAsync(HttpMethod.Delete, revoked);
        using var afterRevoke = await GetSessionAsync(revoked);
        using var untouched = await GetSessionAsync(other);

        await Contract.AssertStatusAsync(revoke, HttpStatusCode.NoContent);
        await Contract.AssertErrorAsync(afterRevoke, HttpStatusCode.Unauthorized, "unauthorized");
        // Positive control: revocation is per token, not "reject everything" (nor everything of one destination's kind).
        await Contract.AssertStatusAsync(untouched, HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    public async Task RejectsMissingOrMalformedToken(string? token)
    {
        using var response = await GetSessionAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RejectsTokenWithTamperedPayload()
    {
        var parts = (await VerifiedTokenAsync("sms")).Split('.');
        var payload = Convert.FromBase64String(Pad(parts[1].Replace('-', '+').Replace('_', '/')));
        var forged = System.Text.Encoding.UTF8.GetString(payload).Replace("\"pur\":\"login\"", "\"pur\":\"admin\"", StringComparison.Ordinal);
        parts[1] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(forged)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        using var response = await GetSessionAsync(string.Join('.', parts));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static string Pad(string base64) => base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');

    private async Task<string> VerifiedTokenAsync(string channel)
    {
        var id = (await Host.SendAsync(channel == "sms" ? Destinations.Phone() : Destinations.Email(), channel)).GetProperty("id").GetString()!;
        var code = await Host.Delivery.WaitForCodeAsync(id);
        using var verify = await Host.VerifyAsync(id, code);
        return (await verify.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("session").GetProperty("token").GetString()!;
    }

    private Task<HttpResponseMessage> GetSessionAsync(string? token) => SendAsync(HttpMethod.Get, token);

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string? token)
    {
        var request = new HttpRequestMessage(method, "session");
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        return Host.Client.SendAsync(request);
    }
}
