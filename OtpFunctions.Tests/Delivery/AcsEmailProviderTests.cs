using OtpFunctions.Delivery;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Delivery;

public sealed class AcsEmailProviderTests : IAsyncLifetime, IAsyncDisposable
{
    private readonly FakeAcsServer _server = new();

    public Task InitializeAsync() => _server.StartAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    [Fact]
    public async Task SendsOperationIdAndContentGivenRequest()
    {
        var operationId = Guid.NewGuid();

        var outcome = await DeliveryTestData.EmailProvider(_server).SendAsync(DeliveryTestData.Mail(operationId), CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Sent, outcome.Kind);
        Assert.Equal(operationId.ToString("D"), outcome.ProviderMessageId);
        var request = Assert.Single(_server.Requests);
        Assert.Null(request.Rejection);
        Assert.Equal("/emails:send?api-version=2023-03-31", request.PathAndQuery);
        Assert.Equal(operationId.ToString("D"), request.Header("Operation-Id"));
        var body = request.Json();
        Assert.Equal("DoNotReply@contoso.example", body.GetProperty("senderAddress").GetString());
        Assert.Equal($"{DeliveryTestData.Code} is your OTP code", body.At("content", "subject").GetString());
        Assert.Contains(DeliveryTestData.Code, body.At("content", "plainText").GetString(), StringComparison.Ordinal);
        Assert.Contains(DeliveryTestData.Code, body.At("content", "html").GetString(), StringComparison.Ordinal);
        Assert.Equal(DeliveryTestData.Email, body.At("recipients", "to")[0].GetProperty("address").GetString());
    }

    [Fact]
    public async Task ReturnsTransientWithRetryAfterGiven429()
    {
        _server.RespondWith(FakeAcsResponse.WithStatus(429, TimeSpan.FromSeconds(30)));

        var outcome = await DeliveryTestData.EmailProvider(_server).SendAsync(DeliveryTestData.Mail(), CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Transient, outcome.Kind);
        Assert.Equal(TimeSpan.FromSeconds(30), outcome.RetryAfter);
    }

    [Fact]
    public async Task ReturnsTransientGiven500()
    {
        _server.RespondWith(FakeAcsResponse.WithStatus(500));

        var outcome = await DeliveryTestData.EmailProvider(_server).SendAsync(DeliveryTestData.Mail(), CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Transient, outcome.Kind);
    }

    [Fact]
    public async Task ReturnsPermanentGiven400()
    {
        _server.RespondWith(FakeAcsResponse.WithStatus(400));

        var outcome = await DeliveryTestData.EmailProvider(_server).SendAsync(DeliveryTestData.Mail(), CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Permanent, outcome.Kind);
        Assert.DoesNotContain(DeliveryTestData.Email, outcome.Error, StringComparison.Ordinal);
    }
}
