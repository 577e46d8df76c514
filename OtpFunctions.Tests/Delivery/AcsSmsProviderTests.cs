using Microsoft.Extensions.Time.Testing;
using OtpFunctions.Delivery;
using OtpFunctions.Delivery.Acs;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Delivery;

public sealed class AcsSmsProviderTests : IAsyncLifetime, IAsyncDisposable
{
    private readonly FakeAcsServer _server = new();

    public Task InitializeAsync() => _server.StartAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    [Fact]
    public async Task ReturnsSentGivenSignedRequestAccepted()
    {
        var outcome = await DeliveryTestData.SmsProvider(_server).SendAsync(DeliveryTestData.Sms(), CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Sent, outcome.Kind);
        Assert.StartsWith("Outgoing_", outcome.ProviderMessageId, StringComparison.Ordinal);
        var request = Assert.Single(_server.Requests);
        Assert.Null(request.Rejection);
        Assert.Equal("/sms?api-version=2021-03-07", request.PathAndQuery);
        var body = request.Json();
        Assert.Equal("+18005550199", body.GetProperty("from").GetString());
        Assert.Equal($"{DeliveryTestData.Code} is your OTP verification code.", body.GetProperty("message").GetString());
        Assert.True(body.At("smsSendOptions", "enableDeliveryReport").GetBoolean());
    }

    [Fact]
    public async Task SendsRepeatabilityIdsGivenOperationIdAndFirstSentAt()
    {
        var operationId = Guid.NewGuid();
        var firstSentAt = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.FromHours(2));

        await DeliveryTestData.SmsProvider(_server).SendAsync(DeliveryTestData.Sms(operationId, firstSentAt), CancellationToken.None);
        await DeliveryTestData.SmsProvider(_server).SendAsync(DeliveryTestData.Sms(operationId, firstSentAt), CancellationToken.None);

        Assert.Equal(2, _server.Requests.Count);
        Assert.All(_server.Requests, request =>
        {
            var recipient = Assert.Single(request.Json().GetProperty("smsRecipients").EnumerateArray());
            Assert.Equal(DeliveryTestData.Phone, recipient.GetProperty("to").GetString());
            Assert.Equal(operationId.ToString("D"), recipient.GetProperty("repeatabilityRequestId").GetString());
            Assert.Equal("Wed, 25 Nov 2026 08:00:00 GMT", recipient.GetProperty("repeatabilityFirstSent").GetString());
        });
    }

    [Fact]
    public async Task SignsWithTimeProviderDateGivenFakeClock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await using var server = new FakeAcsServer(clock);
        await server.StartAsync();

        var outcome = await DeliveryTestData.SmsProvider(server, clock: clock).SendAsync(DeliveryTestData.Sms(), CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Sent, outcome.Kind);
        Assert.Equal("Fri, 02 Jan 2026 03:04:05 GMT", Assert.Single(server.Requests).Header("x-ms-date"));
    }

    [Fact]
    public async Task ReturnsPermanentGivenStaleDate()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-1));

        var outcome = await DeliveryTestData.SmsProvider(_server, clock: clock).SendAsync(DeliveryTestData.Sms(), CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("x-ms-date", Assert.Single(_server.Requests).Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReturnsPermanentGivenTamperedBody()
    {
        var provider = DeliveryTestData.SmsProvider(_server, DeliveryTestData.Options(new TamperingHandler()));

        var outcome = await provider.SendAsync(DeliveryTestData.Sms(), CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal("ACS refused the credentials (401)", outcome.Error);
        var request = Assert.Single(_server.Requests);
        Assert.Equal(401, request.AnsweredStatus);
        Assert.Equal("x-ms-content-sha256 does not match the body", request.Rejection);
    }

    [Fact]
    public async Task ReturnsPermanentGivenWrongAccessKey()
    {
        var wrongKey = $"endpoint={_server.Endpoint};accesskey={Convert.ToBase64String(new byte[32])}";

        var outcome = await DeliveryTestData.SmsProvider(_server, connectionString: wrongKey).SendAsync(DeliveryTestData.Sms(), CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal("signature mismatch", Assert.Single(_server.Requests).Rejection);
    }

    [Fact]
    public async Task ReturnsPermanentWithoutDestinationGivenFailedRecipient()
    {
        _server.RespondWith(FakeAcsResponse.RecipientFailed(400));

        var outcome = await DeliveryTestData.SmsProvider(_server).SendAsync(DeliveryTestData.Sms(), CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal("ACS rejected the recipient (400)", outcome.Error);
        Assert.DoesNotContain("4155550100", outcome.Error, StringComparison.Ordinal);
        Assert.Null(outcome.ProviderMessageId);
    }

    [Fact]
    public async Task ReturnsTransientGivenThrottledRecipient()
    {
        _server.RespondWith(FakeAcsResponse.RecipientFailed(429));

        var outcome = await DeliveryTestData.SmsProvider(_server).SendAsync(DeliveryTestData.Sms(), CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Transient, outcome.Kind);
    }

    [Fact]
    public async Task ReturnsTransientWithRetryAfterGiven429()
    {
        _server.RespondWith(FakeAcsResponse.WithStatus(429, TimeSpan.FromSeconds(7)));

        var outcome = await DeliveryTestData.SmsProvider(_server).SendAsync(DeliveryTestData.Sms(), CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Transient, outcome.Kind);
        Assert.Equal(TimeSpan.FromSeconds(7), outcome.RetryAfter);
        Assert.Equal("ACS answered 429", outcome.Error);
    }

    [Fact]
    public async Task ReturnsTransientGiven500()
    {
        _server.RespondWith(FakeAcsResponse.WithStatus(500));

        var outcome = await DeliveryTestData.SmsProvider(_server).SendAsync(DeliveryTestData.Sms(), CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Transient, outcome.Kind);
        Assert.Null(outcome.RetryAfter);
    }

    [Fact]
    public async Task ReturnsPermanentGiven400()
    {
        _server.RespondWith(FakeAcsResponse.WithStatus(400));

        var outcome = await DeliveryTestData.SmsProvider(_server).SendAsync(DeliveryTestData.Sms(), CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal("ACS answered 400 (ServiceError)", outcome.Error);
    }

    [Fact]
    public async Task ReturnsSentGivenRetryAfterTransientFailure()
    {
        _server.RespondWith(FakeAcsResponse.WithStatus(503), FakeAcsResponse.Accepted);
        var provider = DeliveryTestData.SmsProvider(_server);
        var request = DeliveryTestData.Sms();

        var first = await provider.SendAsync(request, CancellationToken.None);
        var second = await provider.SendAsync(request, CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Transient, first.Kind);
        Assert.Equal(DeliveryOutcomeKind.Sent, second.Kind);
    }

    [Fact]
    public async Task ReturnsTransientGivenTimeout()
    {
        _server.RespondWith(FakeAcsResponse.Slow(TimeSpan.FromSeconds(5)));
        var provider = DeliveryTestData.SmsProvider(_server, DeliveryTestData.Options(networkTimeout: TimeSpan.FromMilliseconds(300)));

        var outcome = await provider.SendAsync(DeliveryTestData.Sms(), CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Transient, outcome.Kind);
        Assert.Equal("ACS did not answer in time", outcome.Error);
    }

    [Fact]
    public async Task ReturnsTransientGivenUnreachableEndpoint()
    {
        var closed = new FakeAcsServer();
        await closed.StartAsync();
        var connectionString = closed.ConnectionString;
        await closed.DisposeAsync();

        var outcome = await DeliveryTestData.SmsProvider(_server, connectionString: connectionString).SendAsync(DeliveryTestData.Sms(), CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Transient, outcome.Kind);
        Assert.Equal("ACS could not be reached", outcome.Error);
    }

    [Fact]
    public async Task SendsBearerTokenGivenTokenCredential()
    {
        _server.BearerToken = "entra-token";
        var credential = new FakeTokenCredential("entra-token");
        var provider = new AcsSmsProvider(AcsRestClient.WithTokenCredential(_server.Endpoint, credential, TimeProvider.System), "+18005550199");

        var first = await provider.SendAsync(DeliveryTestData.Sms(), CancellationToken.None);
        var second = await provider.SendAsync(DeliveryTestData.Sms(), CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Sent, first.Kind);
        Assert.Equal(DeliveryOutcomeKind.Sent, second.Kind);
        Assert.All(_server.Requests, r => Assert.Equal("Bearer entra-token", r.Header("Authorization")));
        Assert.All(_server.Requests, r => Assert.Null(r.Header("x-ms-content-sha256")));
        var scopes = Assert.Single(credential.RequestedScopes);
        Assert.Equal(["https://communication.azure.com//.default"], scopes);
    }
}
