using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Callers;

/// <summary>
/// Sends and resends behind each provider's bot check, against a loopback fake of its verify API: what
/// the service asks, and how it answers a pass, a refusal, a low score, and a slow, failing or garbled provider.
/// One answer of each kind goes through the host; how every answer is judged is <see cref="BotCheckClientTests"/>.
/// </summary>
public sealed class BotCheckTests
{
    private const string Secret = "bot-secret-for-tests";
    private const string ApiKey = "server-key-for-bot-check-tests";

    [Theory]
    [InlineData("Turnstile")]
    [InlineData("HCaptcha")]
    [InlineData("Recaptcha")]
    public async Task SendsGivenTokenTheProviderAccepts(string provider)
    {
        await using var fake = await FakeBotVerifyServer.StartAsync();
        await using var host = await StartAsync(fake, provider);

        using var response = await SendAsync(host, token: "good-token", clientIp: "203.0.113.9");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var asked = Assert.Single(fake.Requests);
        Assert.StartsWith("application/x-www-form-urlencoded", asked.ContentType, StringComparison.Ordinal);
        Assert.Equal(Secret, asked.Form["secret"]);
        Assert.Equal("good-token", asked.Form["response"]);
        Assert.Equal("203.0.113.9", asked.Form["remoteip"]);
        // hCaptcha checks the token against the site key only when told it; the others take no such field.
        Assert.Equal(provider == "HCaptcha" ? "site-key" : null, asked.Form.GetValueOrDefault("sitekey"));
    }

    [Theory]
    [InlineData("Turnstile", """{"success":true,"hostname":"attacker.example","action":"send"}""")]
    public async Task RefusesTokenSolvedOnAnotherSite(string provider, string answer)
    {
        await using var fake = await FakeBotVerifyServer.StartAsync();
        fake.Body = answer;
        await using var host = await StartAsync(fake, provider);

        using var response = await SendAsync(host, token: "solved-elsewhere");

        await AssertRefusedAsync(host, response, HttpStatusCode.Forbidden, "bot_check_failed");
    }

    [Theory]
    [InlineData("Recaptcha", """{"success":true,"hostname":"eu.shop.example","score":0.9,"action":"send"}""", HttpStatusCode.Accepted)]
    public async Task JudgesTheActionWhenTheProviderReportsOne(string provider, string answer, HttpStatusCode expected)
    {
        await using var fake = await FakeBotVerifyServer.StartAsync();
        fake.Body = answer;
        await using var host = await StartAsync(fake, provider, new() { ["Otp:BotCheck:Hostnames"] = "app.example.com,*.shop.example,com.example.app" });

        using var response = await SendAsync(host, token: "token");

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData(429, """{"success":true,"hostname":"app.example.com"}""")]
    public async Task RefusesEvenWithFailOpenGivenA4xxOrTokenError(int status, string body)
    {
        await using var fake = await FakeBotVerifyServer.StartAsync();
        fake.Status = status;
        fake.Body = body;
        await using var host = await StartAsync(fake, "HCaptcha", new() { ["Otp:BotCheck:FailOpen"] = "true" });

        using var response = await SendAsync(host, token: "any");

        await AssertRefusedAsync(host, response, HttpStatusCode.Forbidden, "bot_check_failed");
    }

    [Theory]
    [InlineData(200, """{"success":false,"error-codes":["internal-error"]}""")]
    public async Task AnswersUnavailableEvenWithFailOpenGivenAnAnswerItCannotJudge(int status, string body)
    {
        await using var fake = await FakeBotVerifyServer.StartAsync();
        fake.Status = status;
        fake.Body = body;
        await using var host = await StartAsync(fake, "Turnstile", new() { ["Otp:BotCheck:FailOpen"] = "true" });

        using var response = await SendAsync(host, token: "any");

        await AssertRefusedAsync(host, response, HttpStatusCode.ServiceUnavailable, "unavailable");
    }

    [Fact]
    public async Task SendsDuringATimeoutOrConnectionFailureOnlyGivenFailOpen()
    {
        await using var slow = await FakeBotVerifyServer.StartAsync();
        slow.Delay = TimeSpan.FromSeconds(30);
        await using var timingOut = await StartAsync(slow, "Turnstile", new() { ["Otp:BotCheck:FailOpen"] = "true" });
        var closed = Loopback.FreePort();
        await using var unreachable = await OtpHost.StartAsync(new Dictionary<string, string?>
        {
            ["Otp:BotCheck:Provider"] = "Turnstile",
            ["Otp:BotCheck:Secret"] = Secret,
            ["Otp:BotCheck:VerifyEndpoint"] = $"http://127.0.0.1:{closed}/siteverify",
            ["Otp:BotCheck:FailOpen"] = "true",
        });

        using var afterTimeout = await SendAsync(timingOut, token: "any");
        using var afterRefusedConnection = await SendAsync(unreachable, token: "any");

        Assert.Equal(HttpStatusCode.Accepted, afterTimeout.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, afterRefusedConnection.StatusCode);
    }

    [Theory]
    [InlineData("HCaptcha")]
    public async Task ReturnsBotCheckFailedAndSendsNothingGivenRefusedToken(string provider)
    {
        await using var fake = await FakeBotVerifyServer.StartAsync();
        fake.Body = """{"success":false,"error-codes":["invalid-input-response"]}""";
        await using var host = await StartAsync(fake, provider);

        using var response = await SendAsync(host, token: "forged");

        await AssertRefusedAsync(host, response, HttpStatusCode.Forbidden, "bot_check_failed");
    }

    [Fact]
    public async Task ReturnsBotCheckFailedWithoutAskingGivenNoToken()
    {
        await using var fake = await FakeBotVerifyServer.StartAsync();
        await using var host = await StartAsync(fake, "Turnstile");

        using var response = await SendAsync(host, token: null);

        await AssertRefusedAsync(host, response, HttpStatusCode.Forbidden, "bot_check_failed");
        Assert.Empty(fake.Requests);
    }

    [Theory]
    [InlineData(0.3, HttpStatusCode.Forbidden)]
    public async Task JudgesRecaptchaScoreAgainstMinScore(double score, HttpStatusCode expected)
    {
        await using var fake = await FakeBotVerifyServer.StartAsync();
        fake.Body = $$"""{"success":true,"hostname":"app.example.com","score":{{score.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"action":"send"}""";
        await using var host = await StartAsync(fake, "Recaptcha", new() { ["Otp:BotCheck:MinScore"] = "0.5" });

        using var response = await SendAsync(host, token: "scored");

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData(500, """{"success":true}""")]
    public async Task ReturnsUnavailableAndSendsNothingGivenBrokenProvider(int status, string body)
    {
        await using var fake = await FakeBotVerifyServer.StartAsync();
        fake.Status = status;
        fake.Body = body;
        await using var host = await StartAsync(fake, "Turnstile");

        using var response = await SendAsync(host, token: "any");

        await AssertRefusedAsync(host, response, HttpStatusCode.ServiceUnavailable, "unavailable");
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task ReturnsUnavailableWithinTheTimeoutGivenSlowProvider()
    {
        await using var fake = await FakeBotVerifyServer.StartAsync();
        fake.Delay = TimeSpan.FromSeconds(30);
        await using var host = await StartAsync(fake, "HCaptcha");

        var clock = Stopwatch.StartNew();
        using var response = await SendAsync(host, token: "any");

        await AssertRefusedAsync(host, response, HttpStatusCode.ServiceUnavailable, "unavailable");
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task SendsDuringOutageOnlyGivenFailOpen()
    {
        await using var fake = await FakeBotVerifyServer.StartAsync();
        fake.Status = 502;
        await using var host = await StartAsync(fake, "Turnstile", new() { ["Otp:BotCheck:FailOpen"] = "true" });

        using var duringOutage = await SendAsync(host, token: "any");
        fake.Status = 200;
        fake.Body = """{"success":false,"error-codes":["timeout-or-duplicate"]}""";
        using var refused = await SendAsync(host, token: "replayed");
        using var missing = await SendAsync(host, token: null);

        Assert.Equal(HttpStatusCode.Accepted, duringOutage.StatusCode);
        await Contract.AssertErrorAsync(refused, HttpStatusCode.Forbidden, "bot_check_failed");
        await Contract.AssertErrorAsync(missing, HttpStatusCode.Forbidden, "bot_check_failed");
    }

    [Fact]
    public async Task ChecksResendsAndLetsServerCallersSkipTheCheck()
    {
        await using var fake = await FakeBotVerifyServer.StartAsync();
        await using var host = await StartAsync(fake, "Turnstile", new()
        {
            ["Otp:ApiKeys:backend:Sha256"] = ServerCallerTests.Sha256Hex(ApiKey),
            ["Otp:ResendCooldown"] = "00:00:00",
        });
        using var sent = await SendAsync(host, token: "first");
        var id = (await Contract.ReadAsync<SendAnswer>(sent, HttpStatusCode.Accepted)).Id;

        using var resendWithoutToken = await host.Client.PostAsync($"otp/{id}/resend", null);
        using var serverSend = await SendAsync(host, token: null, apiKey: ApiKey);
        using var serverResend = await PostAsync(host, $"otp/{id}/resend", null, token: null, apiKey: ApiKey);

        await Contract.AssertErrorAsync(resendWithoutToken, HttpStatusCode.Forbidden, "bot_check_failed");
        Assert.Equal(HttpStatusCode.Accepted, serverSend.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, serverResend.StatusCode);
        Assert.Single(fake.Requests);
    }

    [Theory]
    [InlineData("Turnstile", "https://challenges.cloudflare.com")]
    [InlineData("HCaptcha", "https://*.hcaptcha.com")]
    [InlineData("Recaptcha", "https://www.google.com/recaptcha/")]
    public async Task ShowsTheWidgetOnTheDemoPageGivenSiteKey(string provider, string origin)
    {
        await using var fake = await FakeBotVerifyServer.StartAsync();
        await using var host = await StartAsync(fake, provider, new() { ["Otp:BotCheck:SiteKey"] = "site-key-<&\"" });

        using var page = await host.Client.GetAsync("demo");
        var html = await page.Content.ReadAsStringAsync();
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();

        Assert.Contains($"<meta name=\"otp-bot-check\" content=\"{provider}\" data-site-key=\"site-key-&lt;&amp;&quot;\" data-action=\"send\">", html, StringComparison.Ordinal);
        Assert.Contains(origin, Directive(policy, "script-src"), StringComparison.Ordinal);
        Assert.Contains(origin, Directive(policy, "frame-src"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowsNoWidgetOnTheDemoPageWithoutABotCheck()
    {
        await using var host = await OtpHost.StartAsync();

        using var page = await host.Client.GetAsync("demo");

        Assert.Contains("<meta name=\"otp-bot-check\" content=\"None\">", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("frame-src", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    private static string Directive(string policy, string name) =>
        policy.Split(';').Select(directive => directive.Trim()).Single(directive => directive.StartsWith(name + " ", StringComparison.Ordinal));

    private static Task<OtpHost> StartAsync(FakeBotVerifyServer fake, string provider, Dictionary<string, string?>? extra = null)
    {
        // Like hCaptcha itself: a check that does not name the site key the token was made for is refused.
        fake.ExpectedSiteKey = provider == "HCaptcha" ? extra?.GetValueOrDefault("Otp:BotCheck:SiteKey") ?? "site-key" : null;
        var settings = new Dictionary<string, string?>
        {
            ["Otp:BotCheck:Provider"] = provider,
            ["Otp:BotCheck:SiteKey"] = "site-key",
            ["Otp:BotCheck:Secret"] = Secret,
            ["Otp:BotCheck:VerifyEndpoint"] = fake.Endpoint.ToString(),
            ["Otp:BotCheck:Hostnames"] = "app.example.com",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return OtpHost.StartAsync(settings);
    }

    private static Task<HttpResponseMessage> SendAsync(OtpHost host, string? token, string? apiKey = null, string? clientIp = null) =>
        PostAsync(host, "otp", JsonContent.Create(new { channel = "sms", to = Destinations.Phone() }), token, apiKey, clientIp);

    private static Task<HttpResponseMessage> PostAsync(OtpHost host, string path, HttpContent? content, string? token, string? apiKey = null, string? clientIp = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Add("X-Bot-Token", token);
        }

        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        if (clientIp is not null)
        {
            request.Headers.Add("X-Forwarded-For", clientIp);
        }

        return host.Client.SendAsync(request);
    }

    private static async Task AssertRefusedAsync(OtpHost host, HttpResponseMessage response, HttpStatusCode status, string error)
    {
        await Contract.AssertErrorAsync(response, status, error);
        // Refused before storage: no challenge, nothing queued for delivery.
        Assert.Equal(0, (await host.Storage.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Empty(host.Delivery.Requests);
    }
}
