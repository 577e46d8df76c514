using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Sessions;

/// <summary>
/// A backend that knows nothing but the service's URL: ASP.NET Core's own JwtBearer handler, given only
/// <c>Authority</c> and the audience, finds the keys through discovery and accepts our session tokens.
/// </summary>
public sealed class OpenIdDiscoveryTests
{
    private const string Audience = "api://orders";

    [Fact]
    public async Task AcceptsVerifiedTokenInJwtBearerAppGivenOnlyAuthority()
    {
        await using var service = await StartServiceAsync(Es256Key());
        await using var backend = await StartBackendAsync(service.Issuer);

        var token = await service.Host.SignInAsync("email");
        using var accepted = await backend.GetAsync(token);
        using var tampered = await backend.GetAsync(Tamper(token));
        using var unsigned = await backend.GetAsync(token[..(token.LastIndexOf('.') + 1)]);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("login", await accepted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
    }

    [Fact]
    public async Task RefusesTokenOfAnotherAudienceOrIssuerInJwtBearerApp()
    {
        var key = Es256Key();
        await using var service = await StartServiceAsync(key);
        // Same signing key, other audience: a token minted for one backend must not open another.
        await using var other = await OtpHost.StartAsync(new Dictionary<string, string?>
        {
            ["Otp:Secrets:SigningKey"] = key,
            ["Otp:Sessions:Issuer"] = service.Issuer,
            ["Otp:Sessions:Audience"] = "api://billing",
        });
        await using var backend = await StartBackendAsync(service.Issuer);

        using var response = await backend.GetAsync(await other.SignInAsync("email"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AcceptsRevokedTokenOfflineButSessionEndpointRefusesIt()
    {
        await using var service = await StartServiceAsync(Es256Key());
        await using var backend = await StartBackendAsync(service.Issuer);
        var token = await service.Host.SignInAsync("email");

        using var revoke = await service.Host.SessionAsync(token, HttpMethod.Delete);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        using var offline = await backend.GetAsync(token);
        using var checkedOnline = await service.Host.SessionAsync(token);

        // The documented trade-off: offline validation cannot see revocation before the token expires.
        Assert.Equal(HttpStatusCode.OK, offline.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, checkedOnline.StatusCode);
    }

    [Fact]
    public async Task PublishesIssuerAndJwksUriGivenEs256AndUrlIssuer()
    {
        await using var service = await StartServiceAsync(Es256Key());

        var document = await service.Host.Client.GetFromJsonAsync<JsonElement>(".well-known/openid-configuration");
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(await service.Host.SignInAsync("email"));

        Assert.Equal(service.Issuer, document.GetProperty("issuer").GetString());
        Assert.Equal(service.Issuer + "/.well-known/jwks.json", document.GetProperty("jwks_uri").GetString());
        Assert.Equal(["ES256"], document.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(service.Issuer, token.Issuer);
        Assert.Equal([Audience], token.Audiences);
    }

    [Fact]
    public async Task AnswersNotFoundForDiscoveryGivenSharedSecret()
    {
        await using var sharedSecret = await StartServiceAsync(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

        using var hs256 = await sharedSecret.Host.Client.GetAsync(".well-known/openid-configuration");
        using var hs256Keys = await sharedSecret.Host.Client.GetAsync(".well-known/jwks.json");

        Assert.Contains("HS256", (await Contract.AssertErrorAsync(hs256, HttpStatusCode.NotFound, "not_found")).Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, hs256Keys.StatusCode);
    }

    [Fact]
    public async Task AnswersNotFoundForDiscoveryButServesKeysGivenEs256AndNameIssuer()
    {
        await using var nameIssuer = await OtpHost.StartAsync(new Dictionary<string, string?> { ["Otp:Secrets:SigningKey"] = Es256Key() });

        // A Host of the sender's choosing must not become the jwks_uri a cache keeps for everyone.
        using var request = new HttpRequestMessage(HttpMethod.Get, ".well-known/openid-configuration");
        request.Headers.Host = "attacker.example";
        using var discovery = await nameIssuer.Client.SendAsync(request);
        using var keys = await nameIssuer.Client.GetAsync(".well-known/jwks.json");
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(await nameIssuer.SignInAsync("email"));

        var error = await Contract.AssertErrorAsync(discovery, HttpStatusCode.NotFound, "not_found");
        Assert.Contains("Otp:Sessions:Issuer", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("attacker.example", error.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, keys.StatusCode);
        Assert.Contains(token.Kid, await keys.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://otp.example.com/api", "https")]
    [InlineData("https://otp.example.com/api/", "trailing slash")]
    [InlineData(" ", "Otp:Sessions:Issuer")]
    public async Task FailsToStartGivenIssuerDiscoveryCannotServe(string issuer, string reason)
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => OtpHost.StartAsync(new Dictionary<string, string?> { ["Otp:Sessions:Issuer"] = issuer }));

        Assert.Contains(reason, exception.Message, StringComparison.Ordinal);
    }

    private static string Es256Key()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>The service on a port chosen first, so its issuer can name its own public URL.</summary>
    private static async Task<Service> StartServiceAsync(string signingKey)
    {
        var port = Loopback.FreePort();
        var issuer = $"http://127.0.0.1:{port}/api";
        var host = await OtpHost.StartAsync(new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["Otp:Secrets:SigningKey"] = signingKey,
            ["Otp:Sessions:Issuer"] = issuer,
            ["Otp:Sessions:Audience"] = Audience,
        });
        return new Service(host, issuer);
    }

    private static async Task<Backend> StartBackendAsync(string authority)
    {
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange", "false"]);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddAuthorization();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            // Nothing else: keys, issuer and algorithms come from the discovery document.
            options.Authority = authority;
            options.Audience = Audience;
            options.RequireHttpsMetadata = false;
        });
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/orders", (HttpContext context) => context.User.FindFirst("pur")?.Value ?? "").RequireAuthorization();
        await app.StartAsync();
        return new Backend(app);
    }

    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[1]));
        parts[1] = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payload.Replace("\"pur\":\"login\"", "\"pur\":\"admin\"", StringComparison.Ordinal));
        Assert.NotEqual(token.Split('.')[1], parts[1]);
        return string.Join('.', parts);
    }

    private sealed record Service(OtpHost Host, string Issuer) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }

    private sealed class Backend(WebApplication app) : IAsyncDisposable
    {
        private readonly HttpClient client = new() { BaseAddress = new Uri(app.Urls.First()) };

        public Task<HttpResponseMessage> GetAsync(string token)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client.SendAsync(request);
        }

        public async ValueTask DisposeAsync()
        {
            client.Dispose();
            await app.DisposeAsync();
        }
    }
}
