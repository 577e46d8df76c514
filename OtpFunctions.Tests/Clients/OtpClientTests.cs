using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Client;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Clients;

/// <summary>
/// The .NET client against the local host on Azurite: the contract's flow, its refusals as typed results, and the retry
/// rules (what repeats, what never does) under a network that fails on cue.
/// </summary>
public sealed class OtpClientTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private OtpHost Host => fixture.Host;

    [Fact]
    public async Task RunsTheWholeFlowGivenARunningService()
    {
        var (otp, _) = Client();
        var phone = Destinations.Phone();

        var sent = await otp.SendAsync(new SendRequest(OtpChannel.Sms, phone));
        var status = await otp.GetAsync(sent.Value.Id);
        var code = await Host.Delivery.WaitForCodeAsync(sent.Value.Id);
        var wrong = await otp.VerifyAsync(sent.Value.Id, code == "000000" ? "111111" : "000000");
        var verified = await otp.VerifyAsync(sent.Value.Id, code);
        var session = await otp.GetSessionAsync(verified.Value.Session.Token);
        var revoked = await otp.RevokeSessionAsync(verified.Value.Session.Token);
        var afterRevoke = await otp.GetSessionAsync(verified.Value.Session.Token);

        Assert.Equal((OtpChannel.Sms, "pending", 5), (sent.Value.Channel, sent.Value.Status, sent.Value.AttemptsLeft));
        Assert.DoesNotContain(phone, sent.Value.To, StringComparison.Ordinal);
        Assert.Equal((sent.Value.Id, "pending"), (status.Value.Id, status.Value.Status));
        Assert.NotNull(status.Value.Delivery);
        Assert.Equal((OtpErrorCode.InvalidCode, HttpStatusCode.BadRequest, 4), (wrong.Error!.Code, wrong.Error.Status, wrong.Error.AttemptsLeft));
        Assert.Equal("approved", verified.Value.Status);
        Assert.Equal((sent.Value.To, OtpChannel.Sms, "login"), (session.Value.Subject, session.Value.Channel, session.Value.Purpose));
        Assert.True(revoked.IsSuccess);
        Assert.Equal((OtpErrorCode.Unauthorized, HttpStatusCode.Unauthorized), (afterRevoke.Error!.Code, afterRevoke.Error.Status));
    }

    [Fact]
    public async Task ReturnsTheCooldownWithItsRetryAfterGivenAnEarlyResendAndTriesItOnce()
    {
        var (otp, network) = Client();
        var sent = await otp.SendAsync(new SendRequest(OtpChannel.Email, Destinations.Email()));

        var resent = await otp.ResendAsync(sent.Value.Id);

        Assert.Equal((OtpErrorCode.RateLimited, HttpStatusCode.TooManyRequests), (resent.Error!.Code, resent.Error.Status));
        Assert.InRange(resent.Error.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.Single(network.To(HttpMethod.Post, "/resend"));
        Assert.Throws<OtpException>(() => resent.Value);
    }

    [Fact]
    public async Task SendsOneCodeGivenASendWhoseAnswerWasLost()
    {
        var (otp, network) = Client(options => options.BotTokenProvider = _ => ValueTask.FromResult<string?>(Guid.NewGuid().ToString()));
        network.Script = (request, nth) => request.Method == HttpMethod.Post && nth == 1 ? ScriptedOutcome.ForwardThenDrop : ScriptedOutcome.Forward;
        var phone = Destinations.Phone();

        var sent = await otp.SendAsync(new SendRequest(OtpChannel.Sms, phone));
        await Host.WaitForQueueDrainedAsync();

        var tries = network.To(HttpMethod.Post, "/api/otp").ToList();
        Assert.True(sent.IsSuccess, sent.Error?.ToString());
        Assert.Equal(2, tries.Count);
        Assert.Equal(tries[0].Headers["Idempotency-Key"], tries[1].Headers["Idempotency-Key"]);
        Assert.NotEqual(tries[0].Headers["X-Bot-Token"], tries[1].Headers["X-Bot-Token"]);
        Assert.Single(Host.Delivery.Requests, request => request.To == phone);
    }

    [Fact]
    public async Task RetriesAReadButNeverAVerifyOrResendGivenA503()
    {
        var (otp, network) = Client();
        var sent = await otp.SendAsync(new SendRequest(OtpChannel.Email, Destinations.Email()));
        network.Script = (request, nth) => (nth == 1 && request.Method == HttpMethod.Get) || request.RequestUri!.AbsolutePath.EndsWith("/verify", StringComparison.Ordinal)
            ? ScriptedOutcome.Answer503
            : ScriptedOutcome.Forward;

        var status = await otp.GetAsync(sent.Value.Id);
        var verified = await otp.VerifyAsync(sent.Value.Id, "123456");

        Assert.True(status.IsSuccess);
        Assert.Equal(2, network.To(HttpMethod.Get, sent.Value.Id).Count());
        Assert.Equal((OtpErrorCode.Unavailable, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(1)), (verified.Error!.Code, verified.Error.Status, verified.Error.RetryAfter));
        Assert.Single(network.To(HttpMethod.Post, "/verify"));
    }

    [Fact]
    public async Task RepeatsNoResendVerifyOr429GivenAnAppWhoseDefaultsAddTheStandardResilienceHandler()
    {
        // .NET Aspire's service defaults: every HttpClient of the app gets the standard handler, which retries any method
        // on 408, 429 and 5xx and waits out Retry-After.
        var (otp, network) = Client(services: services => services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler()));
        var sent = await otp.SendAsync(new SendRequest(OtpChannel.Email, Destinations.Email()));
        var started = DateTimeOffset.UtcNow;

        var resent = await otp.ResendAsync(sent.Value.Id);
        network.Script = (request, _) => request.RequestUri!.AbsolutePath.EndsWith("/verify", StringComparison.Ordinal) ? ScriptedOutcome.Answer503 : ScriptedOutcome.Forward;
        var verified = await otp.VerifyAsync(sent.Value.Id, "123456");

        Assert.Equal((OtpErrorCode.RateLimited, HttpStatusCode.TooManyRequests), (resent.Error!.Code, resent.Error.Status));
        Assert.Single(network.To(HttpMethod.Post, "/resend"));
        Assert.Equal(OtpErrorCode.Unavailable, verified.Error!.Code);
        Assert.Single(network.To(HttpMethod.Post, "/verify"));
        Assert.InRange(DateTimeOffset.UtcNow - started, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ReturnsTypedRefusalsGivenBadInputOrUnknownIds()
    {
        var otp = OtpClient.Create(new OtpClientOptions { BaseAddress = new Uri(Host.Client.BaseAddress!.GetLeftPart(UriPartial.Authority)) });

        var badPhone = await otp.SendAsync(new SendRequest(OtpChannel.Sms, "12345"));
        var unknown = await otp.GetAsync("no-such-challenge");
        var canceled = await otp.CancelAsync("no-such-challenge");

        Assert.Equal((OtpErrorCode.InvalidRequest, HttpStatusCode.BadRequest), (badPhone.Error!.Code, badPhone.Error.Status));
        Assert.False(string.IsNullOrWhiteSpace(badPhone.Error.Message));
        Assert.Equal((OtpErrorCode.NotFound, HttpStatusCode.NotFound), (unknown.Error!.Code, unknown.Error.Status));
        Assert.Equal(OtpErrorCode.NotFound, Assert.Throws<OtpException>(canceled.EnsureSuccess).Error.Code);
    }

    [Fact]
    public async Task CancelsAChallengeSoItsCodeStopsWorking()
    {
        var (otp, _) = Client();
        var sent = await otp.SendAsync(new SendRequest(OtpChannel.Email, Destinations.Email()));
        var code = await Host.Delivery.WaitForCodeAsync(sent.Value.Id);

        var canceled = await otp.CancelAsync(sent.Value.Id);
        var verified = await otp.VerifyAsync(sent.Value.Id, code);

        Assert.True(canceled.IsSuccess);
        Assert.Contains(verified.Error!.Code, new[] { OtpErrorCode.Expired, OtpErrorCode.NotFound });
    }

    [Theory]
    [InlineData("https://otp.example.com", "https://otp.example.com/api/")]
    [InlineData("https://otp.example.com/api", "https://otp.example.com/api/")]
    [InlineData("https://otp.example.com/api/", "https://otp.example.com/api/")]
    [InlineData("http://127.0.0.1:7071/otp/", "http://127.0.0.1:7071/otp/api/")]
    public void ResolvesTheApiRootGivenABaseAddressWithOrWithoutApi(string baseAddress, string expected) =>
        Assert.Equal(expected, new OtpClientOptions { BaseAddress = new Uri(baseAddress) }.ApiRoot().ToString());

    private (OtpClient Client, ScriptedHandler Network) Client(Action<OtpClientOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var network = new ScriptedHandler();
        var collection = new ServiceCollection();
        services?.Invoke(collection);
        collection.AddOtpClient(options =>
        {
            options.BaseAddress = Host.Client.BaseAddress;
            configure?.Invoke(options);
        }).AddHttpMessageHandler(() => network);
        return (collection.BuildServiceProvider().GetRequiredService<OtpClient>(), network);
    }
}
