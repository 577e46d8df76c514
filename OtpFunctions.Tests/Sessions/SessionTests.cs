using System.Net;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Sessions;

public sealed class SessionTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private OtpHost Host => fixture.Host;

    [Fact]
    public async Task ReturnsSessionGivenTokenFromVerify()
    {
        var token = await Host.SignInAsync("email");

        using var response = await Host.SessionAsync(token);

        var session = await Contract.ReadAsync<SessionAnswer>(response, HttpStatusCode.OK);
        Assert.Matches(@"^u\*+@example\.com$", session.Subject);
        Assert.Equal("email", session.Channel);
        Assert.Equal("login", session.Purpose);
        Assert.InRange(session.ExpiresAt - session.IssuedAt, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
    }

    [Fact]
    public async Task RejectsTokenAfterRevoke()
    {
        var token = await Host.SignInAsync();

        using var revoke = await Host.SessionAsync(token, HttpMethod.Delete);
        using var after = await Host.SessionAsync(token);
        using var again = await Host.SessionAsync(token, HttpMethod.Delete);

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        await Contract.AssertErrorAsync(after, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    [Fact]
    public async Task RevokesOnlyTheSessionWhoseTokenIsPresented()
    {
        var revoked = await Host.SignInAsync();
        var other = await Host.SignInAsync();

        using var revoke = await Host.SessionAsync(revoked, HttpMethod.Delete);
        using var afterRevoke = await Host.SessionAsync(revoked);
        using var untouched = await Host.SessionAsync(other);

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
        using var response = await Host.SessionAsync(token);

        await Contract.AssertErrorAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task RejectsTokenWithTamperedPayload()
    {
        var parts = (await Host.SignInAsync()).Split('.');
        var payload = Convert.FromBase64String(Pad(parts[1].Replace('-', '+').Replace('_', '/')));
        var forged = System.Text.Encoding.UTF8.GetString(payload).Replace("\"pur\":\"login\"", "\"pur\":\"admin\"", StringComparison.Ordinal);
        parts[1] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(forged)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        using var response = await Host.SessionAsync(string.Join('.', parts));

        await Contract.AssertErrorAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    private static string Pad(string base64) => base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
}
