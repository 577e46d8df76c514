using System.Net;
using System.Net.Http.Json;
using IdentityTwoFactor;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.AspNetCore.Identity;
using OtpFunctions.Client;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Samples;

/// <summary>
/// The Identity sample (samples/IdentityTwoFactor) signs a user in with a password and then a code that the service
/// on the local host (Azurite) sent and checked, as a newcomer would run it next to scripts/run.
/// </summary>
public sealed class IdentityTwoFactorTests(HostFixture fixture) : IClassFixture<HostFixture>, IAsyncLifetime
{
    private const string Password = "Correct-Horse-9";
    private readonly string database = Path.Combine(Path.GetTempPath(), $"identity-sample-{Guid.NewGuid():N}.db");
    private readonly ScriptedHandler network = new();
    private WebApplicationFactory<SampleDb> sample = null!;

    private OtpHost Otp => fixture.Host;

    public Task InitializeAsync()
    {
        sample = new WebApplicationFactory<SampleDb>().WithWebHostBuilder(web =>
        {
            web.UseSetting("OtpService:BaseAddress", Otp.Client.BaseAddress!.ToString());
            web.UseSetting("ConnectionStrings:Users", $"Data Source={database};Pooling=false");
            web.ConfigureServices(services => services.AddHttpClient<OtpClient>().AddHttpMessageHandler(() => network));
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await sample.DisposeAsync();
        File.Delete(database);
    }

    [Fact]
    public async Task SignsInWithAPasswordAndTheCodeTheServiceSent()
    {
        var browser = sample.CreateClient();
        var (email, phone) = (Destinations.Email(), Destinations.Phone());
        await Ok(browser.PostAsJsonAsync("/account/register", new { email, password = Password, phone }));

        var login = await Ok(browser.PostAsJsonAsync("/account/login", new { email, password = Password }));
        var challengeId = await StoredChallengeAsync(email);
        var code = await Otp.Delivery.WaitForCodeAsync(challengeId!);
        var before = await browser.GetAsync("/account/me");
        var wrong = await browser.PostAsJsonAsync("/account/login/code", new { code = code == "000000" ? "111111" : "000000" });
        var right = await browser.PostAsJsonAsync("/account/login/code", new { code });
        var me = await browser.GetFromJsonAsync<Me>("/account/me");

        Assert.Equal(phone, Assert.Single(Otp.Delivery.For(challengeId!)).To);
        Assert.Equal(Otp.Delivery.For(challengeId!).Single().MaskedTo, (await login.Content.ReadFromJsonAsync<Sent>())!.SentTo);
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
        await Ok(browser.PostAsJsonAsync("/account/register", new { email, password = Password }));

        await Ok(browser.PostAsJsonAsync("/account/login", new { email, password = Password }));
        var code = await Otp.Delivery.WaitForCodeAsync((await StoredChallengeAsync(email))!);
        var right = await browser.PostAsJsonAsync("/account/login/code", new { code });

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains(Otp.Delivery.Requests, request => request.To == email && request.Channel == Channel.Email);
    }

    [Fact]
    public async Task CountsNoFailedSignInGivenAServiceThatCannotCheckTheCode()
    {
        var browser = sample.CreateClient();
        var email = Destinations.Email();
        await Ok(browser.PostAsJsonAsync("/account/register", new { email, password = Password, phone = Destinations.Phone() }));
        await Ok(browser.PostAsJsonAsync("/account/login", new { email, password = Password }));
        network.Script = (request, _) => request.RequestUri!.AbsolutePath.EndsWith("/verify", StringComparison.Ordinal) ? ScriptedOutcome.Answer503 : ScriptedOutcome.Forward;

        var refused = await browser.PostAsJsonAsync("/account/login/code", new { code = "123456" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(0, await AccessFailedCountAsync(email));
        Assert.NotNull(await StoredChallengeAsync(email));
    }

    // The provider keeps the challenge id with the user's authentication tokens, on the server.
    private Task<string?> StoredChallengeAsync(string email) =>
        WithUserAsync(email, (users, user) => users.GetAuthenticationTokenAsync(user, OtpTwoFactor.ProviderName, "TwoFactor"));

    private Task<int> AccessFailedCountAsync(string email) => WithUserAsync(email, (users, user) => users.GetAccessFailedCountAsync(user));

    private async Task<T> WithUserAsync<T>(string email, Func<UserManager<IdentityUser>, IdentityUser, Task<T>> read)
    {
        using var scope = sample.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        return await read(users, (await users.FindByEmailAsync(email))!);
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
