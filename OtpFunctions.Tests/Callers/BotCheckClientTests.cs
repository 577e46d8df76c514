using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OtpFunctions.Callers;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Callers;

/// <summary>
/// How the bot check judges a provider's answer, as a plain object with the provider answering in memory: the site a
/// token was solved on, its action and score, the provider's errors (ours or the visitor's) and an answer it cannot
/// read. <see cref="BotCheckTests"/> keeps what crosses HTTP: the exchange itself, timeouts and refused connections.
/// </summary>
public sealed class BotCheckClientTests : IDisposable
{
    private static readonly string[] OurSites = ["app.example.com", "*.shop.example", "com.example.app"];

    private readonly PlainRules plain = new();

    [Theory]
    [InlineData(BotCheckProvider.Turnstile, null)]
    [InlineData(BotCheckProvider.HCaptcha, "site-key")]
    [InlineData(BotCheckProvider.Recaptcha, null)]
    public async Task PassesAnAcceptedTokenAskingWithOurSecretAndTheCallersAddress(BotCheckProvider provider, string? sitekey)
    {
        var answer = new AnsweringHandler(HttpStatusCode.OK, """{"success":true,"hostname":"app.example.com"}""");

        Assert.Equal(BotCheckOutcome.Passed, await Client(answer, provider).VerifyAsync("good-token", "203.0.113.9", CancellationToken.None));

        var form = Form(Assert.Single(answer.Asked));
        Assert.Equal(("bot-secret", "good-token", "203.0.113.9"), (form["secret"], form["response"], form["remoteip"]));
        Assert.Equal(sitekey, form.GetValueOrDefault("sitekey"));
        Assert.Equal(["passed"], plain.Counted("otp.botcheck.outcomes", "outcome"));
    }

    [Fact]
    public async Task SendsNoAddressGivenTheCallersIsUnknown()
    {
        var answer = new AnsweringHandler(HttpStatusCode.OK, """{"success":true,"hostname":"app.example.com"}""");

        await Client(answer).VerifyAsync("token", null, CancellationToken.None);

        Assert.False(Form(Assert.Single(answer.Asked)).ContainsKey("remoteip"));
    }

    [Theory]
    [InlineData(BotCheckProvider.Turnstile, """{"success":true,"hostname":"attacker.example","action":"send"}""")]
    [InlineData(BotCheckProvider.HCaptcha, """{"success":true,"hostname":"attacker.example"}""")]
    [InlineData(BotCheckProvider.Recaptcha, """{"success":true,"hostname":"attacker.example","score":0.9,"action":"send"}""")]
    [InlineData(BotCheckProvider.HCaptcha, """{"success":true}""")]
    [InlineData(BotCheckProvider.Recaptcha, """{"success":true,"hostname":"app.example.com.attacker.example","score":0.9,"action":"send"}""")]
    public async Task RefusesATokenSolvedOnAnotherSite(BotCheckProvider provider, string body)
    {
        Assert.Equal(BotCheckOutcome.Refused, await VerifyAsync(HttpStatusCode.OK, body, provider));
    }

    [Theory]
    [InlineData(BotCheckProvider.Turnstile, """{"success":true,"hostname":"app.example.com","action":"comment"}""", BotCheckOutcome.Refused)]
    [InlineData(BotCheckProvider.Turnstile, """{"success":true,"hostname":"app.example.com","action":""}""", BotCheckOutcome.Refused)]
    [InlineData(BotCheckProvider.Recaptcha, """{"success":true,"hostname":"app.example.com","score":0.9,"action":"login"}""", BotCheckOutcome.Refused)]
    [InlineData(BotCheckProvider.Turnstile, """{"success":true,"hostname":"APP.example.com","action":"send"}""", BotCheckOutcome.Passed)]
    [InlineData(BotCheckProvider.Recaptcha, """{"success":true,"hostname":"eu.shop.example","score":0.9,"action":"send"}""", BotCheckOutcome.Passed)]
    [InlineData(BotCheckProvider.Recaptcha, """{"success":true,"apk_package_name":"com.example.app"}""", BotCheckOutcome.Passed)]
    [InlineData(BotCheckProvider.HCaptcha, """{"success":true,"hostname":"app.example.com"}""", BotCheckOutcome.Passed)]
    public async Task JudgesTheActionWhenTheProviderReportsOne(BotCheckProvider provider, string body, BotCheckOutcome expected)
    {
        Assert.Equal(expected, await VerifyAsync(HttpStatusCode.OK, body, provider, hostnames: OurSites));
    }

    [Theory]
    [InlineData(0.3, BotCheckOutcome.Refused)]
    [InlineData(0.5, BotCheckOutcome.Passed)]
    [InlineData(0.9, BotCheckOutcome.Passed)]
    public async Task JudgesARecaptchaScoreAgainstMinScore(double score, BotCheckOutcome expected)
    {
        var body = $$"""{"success":true,"hostname":"app.example.com","score":{{score.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"action":"send"}""";

        Assert.Equal(expected, await VerifyAsync(HttpStatusCode.OK, body, BotCheckProvider.Recaptcha));
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, """{"success":false,"error-codes":["invalid-input-response"]}""", BotCheckOutcome.Refused)]
    [InlineData(HttpStatusCode.OK, """{"success":false,"error-codes":["timeout-or-duplicate"]}""", BotCheckOutcome.Refused)]
    [InlineData(HttpStatusCode.OK, """{"success":false}""", BotCheckOutcome.Refused)]
    [InlineData(HttpStatusCode.OK, """{"success":false,"error-codes":["sitekey-secret-mismatch"]}""", BotCheckOutcome.Misconfigured)]
    [InlineData(HttpStatusCode.OK, """{"success":false,"error-codes":["invalid-input-secret"]}""", BotCheckOutcome.Misconfigured)]
    [InlineData(HttpStatusCode.BadRequest, """{"success":false,"error-codes":["bad-request"]}""", BotCheckOutcome.Misconfigured)]
    [InlineData(HttpStatusCode.Unauthorized, "", BotCheckOutcome.Misconfigured)]
    [InlineData(HttpStatusCode.TooManyRequests, """{"success":true,"hostname":"app.example.com"}""", BotCheckOutcome.Misconfigured)]
    public async Task NeverPassesAProviderThatSaysNoOrAnswers4xx(HttpStatusCode status, string body, BotCheckOutcome expected)
    {
        // Only Unavailable may fail open: a 4xx an attacker could provoke (a 429 from flooding) must not become a pass.
        Assert.Equal(expected, await VerifyAsync(status, body));
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, "<html>gateway error</html>")]
    [InlineData(HttpStatusCode.OK, """{"ok":true}""")]
    [InlineData(HttpStatusCode.OK, """{"success":"yes"}""")]
    [InlineData(HttpStatusCode.OK, "[true]")]
    [InlineData(HttpStatusCode.OK, """{"success":false,"error-codes":["internal-error"]}""")]
    public async Task CallsAnAnswerItCannotJudgeUnreadable(HttpStatusCode status, string body)
    {
        Assert.Equal(BotCheckOutcome.Unreadable, await VerifyAsync(status, body));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task CallsA5xxUnavailable(HttpStatusCode status)
    {
        Assert.Equal(BotCheckOutcome.Unavailable, await VerifyAsync(status, """{"success":true,"hostname":"app.example.com"}"""));
    }

    [Fact]
    public async Task CallsAConnectionFailureUnavailable()
    {
        var refused = new AnsweringHandler(HttpStatusCode.OK, "") { Failure = new HttpRequestException("Connection refused") };

        Assert.Equal(BotCheckOutcome.Unavailable, await Client(refused).VerifyAsync("token", null, CancellationToken.None));
        Assert.Equal(["unavailable"], plain.Counted("otp.botcheck.outcomes", "outcome"));
    }

    [Fact]
    public async Task RefusesWithoutAskingATokenLongerThanAnyProvidersToken()
    {
        var answer = new AnsweringHandler(HttpStatusCode.OK, """{"success":true,"hostname":"app.example.com"}""");

        Assert.Equal(BotCheckOutcome.Refused, await Client(answer).VerifyAsync(new string('a', 8193), null, CancellationToken.None));
        Assert.Empty(answer.Asked);
    }

    [Theory]
    [InlineData("app.example.com", "app.example.com", true)]
    [InlineData("app.example.com", "App.Example.Com", true)]
    [InlineData("app.example.com", "example.com", false)]
    [InlineData("*.example.com", "eu.app.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "badexample.com", false)]
    [InlineData("*.example.com", "", false)]
    [InlineData("*.example.com", null, false)]
    public void MatchesHostnamesExactlyOrAsSubdomainsOfAWildcard(string allowed, string? hostname, bool expected)
    {
        Assert.Equal(expected, BotCheckClient.HostnameMatches(allowed, hostname));
    }

    public void Dispose() => plain.Dispose();

    private Task<BotCheckOutcome> VerifyAsync(HttpStatusCode status, string body, BotCheckProvider provider = BotCheckProvider.Turnstile, string[]? hostnames = null) =>
        Client(new AnsweringHandler(status, body), provider, hostnames).VerifyAsync("token", "203.0.113.9", CancellationToken.None);

    private BotCheckClient Client(AnsweringHandler answer, BotCheckProvider provider = BotCheckProvider.Turnstile, string[]? hostnames = null)
    {
        var options = Options.Create(new CallerOptions
        {
            BotCheck = new BotCheckOptions { Provider = provider, Secret = "bot-secret", SiteKey = "site-key", Hostnames = [.. hostnames ?? ["app.example.com"]] },
        });
        return new BotCheckClient(new HttpClient(answer), options, plain.Metrics, NullLogger<BotCheckClient>.Instance);
    }

    private static Dictionary<string, string> Form(string body) =>
        body.Split('&').Select(pair => pair.Split('=', 2)).ToDictionary(pair => Uri.UnescapeDataString(pair[0]), pair => Uri.UnescapeDataString(pair[1].Replace('+', ' ')), StringComparer.Ordinal);
}
