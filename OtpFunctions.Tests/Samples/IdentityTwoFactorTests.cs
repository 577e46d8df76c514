using System.Net;
using System.Net.Http.Json;
using IdentityTwoFactor;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.AspNetCore.Identity;
using OtpFunctions.Delivery;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Samples;

/// <summary>
/// The Identity sample (samples/IdentityTwoFactor) signs a user in with a password and then a code that the service
/// on the local host (Azurite) sent and checked, as a newcomer would run it next to scripts/run.
/// </summary>
public sealed class IdentityTwoFactorTests : IAsyncLifetime
{
    private readonly string database = Path.Combine(Path.GetTempPath(), $"identity-sample-{Guid.NewGuid():N}.db");
    private OtpHost otp = null!;
    private WebApplicationFactory<SampleDb> sample = null!;

    public async Task InitializeAsync()
    {
        otp = await OtpHost.StartAsync();
        sample = new WebApplicationFactory<SampleDb>().WithWebHostBuilder(web =>
        {
            web.UseSetting("OtpService:BaseAddress", otp.Client.BaseAddress!.ToString());
            web.UseSetting("ConnectionStrings:Users", $"Data Source={database};Pooling=false");
        });
    }

    public async Task DisposeAsync()
    {
        await sample.DisposeAsync();
        await otp.DisposeAsync();
        File.Delete(database);
    }

    [Fact]
    public async Task SignsInWithAPasswordAndTheCodeTheServiceSent()
    {
        var browser = sample.CreateClient();
        var (email, phone) = (Destinations.Email(), Destinations.Phone());
        await Ok(browser.PostAsJsonAsync("/account/register", new { email, password = "Correct-Horse-9", phone }));

        var login = await Ok(browser.PostAsJsonAsync("/account/login", new { email, password = "Correct-Horse-9" }));
        var challengeId = await StoredChallengeAsync(email);
        var code = await otp.Delivery.WaitForCodeAsync(challengeId!);
        var before = await browser.GetAsync("/account/me");
        var wrong = await browser.PostAsJsonAsync("/account/login/code", new { code = code == "000000" ? "111111" : "000000" });
        var right = await browser.PostAsJsonAsync("/account/login/code", new { code });
        var me = await browser.GetFromJsonAsync<Me>("/account/me");

        Assert.Equal(phone, Assert.Single(otp.Delivery.For(challengeId!)).To);
        Assert.Equal(otp.Delivery.For(challengeId!).Single().MaskedTo, (await login.Content.ReadFromJsonAsync<Sent>())!.SentTo);
        Assert.DoesNotContain(login.Headers.GetValues("Set-Cookie"), cookie => cookie.Contains(challengeId!, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(email, me!.Email);
        Assert.Null(await StoredChallengeAsync(email));
    }

    [Fact]
    public async Task SendsTheCodeByEmailGivenAUserWithoutAPhone()
    {
        var browser = sample.CreateClient();
        var email = Destinations.Email();
        await Ok(browser.PostAsJsonAsync("/account/register", new { email, password = "Correct-Horse-9" }));

        await Ok(browser.PostAsJsonAsync("/account/login", new { email, password = "Correct-Horse-9" }));
        var code = await otp.Delivery.WaitForCodeAsync((await StoredChallengeAsync(email))!);
        var right = await browser.PostAsJsonAsync("/account/login/code", new { code });

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains(otp.Delivery.Requests, request => request.To == email && request.Channel == Channel.Email);
    }

    // The provider keeps the challenge id with the user's authentication tokens, on the server.
    private async Task<string?> StoredChallengeAsync(string email)
    {
        using var scope = sample.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await users.FindByEmailAsync(email);
        return await users.GetAuthenticationTokenAsync(user!, OtpTwoFactor.ProviderName, "TwoFactor");
    }

    private static async Task<HttpResponseMessage> Ok(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    private sealed record Sent(bool TwoFactor, string SentTo);

    private sealed record Me(string Email);
}
