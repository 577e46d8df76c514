using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OtpFunctions.Callers;
using OtpFunctions.Configuration;
using OtpFunctions.Http;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Callers;

/// <summary>
/// Who may send, as a plain object on a <see cref="DefaultHttpContext"/> with the bot check's provider answering in
/// memory: the API key, the purposes each caller may use, and the bot check last, only for anonymous callers.
/// </summary>
public sealed class CallerGateTests : IDisposable
{
    private const string BackendKey = "backend-key";
    private const string RotatedKey = "backend-key-next";
    private const string Passed = """{"success":true,"hostname":"app.example.com","action":"send"}""";

    private readonly PlainRules plain = new();

    [Fact]
    public async Task AdmitsAnAnonymousCallerByItsAddressGivenAnAllowedPurpose()
    {
        var caller = Admitted(await Gate().AdmitAsync(Request(), "login", CancellationToken.None));

        Assert.Null(caller.Server);
        Assert.Equal("203.0.113.9", caller.ClientIp);
    }

    [Fact]
    public async Task BelievesForwardedForOnlyFromATrustedProxy()
    {
        var viaProxy = Request(remote: "127.0.0.1");
        viaProxy.Headers["X-Forwarded-For"] = "198.51.100.7";
        var direct = Request();
        direct.Headers["X-Forwarded-For"] = "198.51.100.7";

        Assert.Equal("198.51.100.7", Admitted(await Gate().AdmitAsync(viaProxy, "login", CancellationToken.None)).ClientIp);
        Assert.Equal("203.0.113.9", Admitted(await Gate().AdmitAsync(direct, "login", CancellationToken.None)).ClientIp);
    }

    [Fact]
    public async Task RefusesAnUnknownApiKeyWith401BeforeAnythingElse()
    {
        var provider = new AnsweringHandler(HttpStatusCode.OK, Passed);

        var refusal = Refused(await Gate(provider, botCheck: true).AdmitAsync(Request(apiKey: "guessed"), "login", CancellationToken.None));

        Assert.Equal((401, "unauthorized"), (refusal.Status, refusal.Code));
        Assert.Contains(CallerGate.ApiKeyHeader, refusal.Message, StringComparison.Ordinal);
        Assert.Empty(provider.Asked);
    }

    [Theory]
    [InlineData(BackendKey)]
    [InlineData(RotatedKey)]
    public async Task AdmitsAServerCallerByEitherKeyOfARotationWithoutTheBotCheck(string key)
    {
        var provider = new AnsweringHandler(HttpStatusCode.OK, Passed);

        var caller = Admitted(await Gate(provider, botCheck: true).AdmitAsync(Request(apiKey: key), "checkout", CancellationToken.None));

        Assert.Equal("backend", caller.Server?.Name);
        Assert.Empty(provider.Asked);
    }

    [Fact]
    public async Task RefusesWith400APurposeOutsideTheServerCallersList()
    {
        var refusal = Refused(await Gate().AdmitAsync(Request(apiKey: BackendKey), "login", CancellationToken.None));

        Assert.Equal((400, "invalid_request"), (refusal.Status, refusal.Code));
        Assert.Contains("Otp:ApiKeys:backend:Purposes allows checkout", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdmitsAnyPurposeGivenAServerCallerWithoutAList()
    {
        Assert.Equal("open", Admitted(await Gate().AdmitAsync(Request(apiKey: "open-key"), "anything", CancellationToken.None)).Server?.Name);
    }

    [Fact]
    public async Task RefusesWith400APurposeNotOpenToAnonymousCallersWithoutAskingTheBotCheck()
    {
        var provider = new AnsweringHandler(HttpStatusCode.OK, Passed);

        var refusal = Refused(await Gate(provider, botCheck: true).AdmitAsync(Request(botToken: "token"), "checkout", CancellationToken.None));

        Assert.Equal((400, "invalid_request"), (refusal.Status, refusal.Code));
        Assert.Contains("Otp:AllowedPurposes (login)", refusal.Message, StringComparison.Ordinal);
        Assert.Empty(provider.Asked);
    }

    [Fact]
    public async Task ChecksNoPurposeGivenAResend()
    {
        Assert.Equal("backend", Admitted(await Gate().AdmitAsync(Request(apiKey: BackendKey), null, CancellationToken.None)).Server?.Name);
    }

    [Fact]
    public async Task RefusesWith403WithoutAskingGivenNoBotToken()
    {
        var provider = new AnsweringHandler(HttpStatusCode.OK, Passed);

        var refusal = Refused(await Gate(provider, botCheck: true).AdmitAsync(Request(), "login", CancellationToken.None));

        Assert.Equal((403, "bot_check_failed"), (refusal.Status, refusal.Code));
        Assert.Contains(CallerGate.BotTokenHeader, refusal.Message, StringComparison.Ordinal);
        Assert.Empty(provider.Asked);
    }

    [Fact]
    public async Task AdmitsGivenTheProviderPassesTheTokenSolvedFromTheCallersAddress()
    {
        var provider = new AnsweringHandler(HttpStatusCode.OK, Passed);

        Admitted(await Gate(provider, botCheck: true).AdmitAsync(Request(botToken: "solved"), "login", CancellationToken.None));

        var asked = Assert.Single(provider.Asked);
        Assert.Contains("response=solved", asked, StringComparison.Ordinal);
        Assert.Contains("remoteip=203.0.113.9", asked, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, """{"success":false,"error-codes":["invalid-input-response"]}""", true)]
    [InlineData(HttpStatusCode.OK, """{"success":false,"error-codes":["invalid-input-secret"]}""", true)]
    [InlineData(HttpStatusCode.TooManyRequests, "", true)]
    [InlineData(HttpStatusCode.OK, """{"success":true,"hostname":"app.example.com","action":"comment"}""", false)]
    public async Task RefusesWith403EvenGivenFailOpenWhenTheProviderAnswersNo(HttpStatusCode status, string body, bool failOpen)
    {
        var refusal = Refused(await Gate(new AnsweringHandler(status, body), botCheck: true, failOpen).AdmitAsync(Request(botToken: "token"), "login", CancellationToken.None));

        Assert.Equal((403, "bot_check_failed"), (refusal.Status, refusal.Code));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadGateway, "", false)]
    [InlineData(HttpStatusCode.OK, "<html>gateway error</html>", true)]
    [InlineData(HttpStatusCode.OK, """{"success":false,"error-codes":["internal-error"]}""", true)]
    public async Task AnswersUnavailableWithRetryAfterGivenNoJudgementAndNoFailOpenThatCovers(HttpStatusCode status, string body, bool failOpen)
    {
        var refusal = Refused(await Gate(new AnsweringHandler(status, body), botCheck: true, failOpen).AdmitAsync(Request(botToken: "token"), "login", CancellationToken.None));

        Assert.Equal((503, "unavailable"), (refusal.Status, refusal.Code));
        Assert.Equal(TimeSpan.FromSeconds(5), refusal.RetryAfter);
    }

    [Fact]
    public async Task AdmitsDuringAProviderOutageOnlyGivenFailOpen()
    {
        Admitted(await Gate(new AnsweringHandler(HttpStatusCode.ServiceUnavailable, ""), botCheck: true, failOpen: true).AdmitAsync(Request(botToken: "token"), "login", CancellationToken.None));
    }

    [Fact]
    public void FindsApiKeysByComparingHashesInConstantTime()
    {
        Assert.Contains(IlCalls.Of(typeof(ApiKeys), nameof(ApiKeys.Find)), call => call.DeclaringType == typeof(CryptographicOperations) && call.Name == nameof(CryptographicOperations.FixedTimeEquals));
    }

    public void Dispose() => plain.Dispose();

    private CallerGate Gate(AnsweringHandler? provider = null, bool botCheck = false, bool failOpen = false)
    {
        var settings = new CallerOptions
        {
            AllowedPurposes = ["login"],
            ApiKeys = new()
            {
                ["backend"] = new ServerCallerOptions { Name = "backend", Sha256 = [Sha256(BackendKey), Sha256(RotatedKey)], Purposes = ["checkout"] },
                ["open"] = new ServerCallerOptions { Name = "open", Sha256 = [Sha256("open-key")] },
            },
            BotCheck = botCheck ? new BotCheckOptions { Provider = BotCheckProvider.Turnstile, Secret = "secret", FailOpen = failOpen } : new BotCheckOptions(),
        };
        var options = Options.Create(settings);
        var http = new HttpClient(provider ?? new AnsweringHandler(HttpStatusCode.InternalServerError, ""));
        return new CallerGate(
            new ApiKeys(options),
            new BotCheckClient(http, options, plain.Metrics, NullLogger<BotCheckClient>.Instance),
            new ClientIp(Options.Create(new OtpOptions())),
            options,
            NullLogger<CallerGate>.Instance);
    }

    private static HttpRequest Request(string remote = "203.0.113.9", string? apiKey = null, string? botToken = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        if (apiKey is not null)
        {
            context.Request.Headers[CallerGate.ApiKeyHeader] = apiKey;
        }

        if (botToken is not null)
        {
            context.Request.Headers[CallerGate.BotTokenHeader] = botToken;
        }

        return context.Request;
    }

    private static Caller Admitted(Result<Caller> result)
    {
        Assert.Null(result.Error);
        return result.Value!;
    }

    private static ApiError Refused(Result<Caller> result)
    {
        Assert.Null(result.Value);
        return result.Error!;
    }

    private static string Sha256(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
