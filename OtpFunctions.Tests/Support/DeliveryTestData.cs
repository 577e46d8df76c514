using Azure.Core;
using Azure.Core.Pipeline;
using OtpFunctions.Delivery;
using OtpFunctions.Delivery.Acs;

namespace OtpFunctions.Tests.Support;

internal static class DeliveryTestData
{
    public const string Phone = "+14155550100";
    public const string Email = "ada@example.com";
    public const string Code = "482913";

    public static DeliveryRequest Sms(Guid? operationId = null, DateTimeOffset? firstSentAt = null) => new(
        "challenge-1", Channel.Sms, Phone, "+1415*****00",
        new RenderedMessage(null, $"{Code} is your OTP verification code.", null),
        operationId ?? Guid.NewGuid(), firstSentAt ?? DateTimeOffset.UtcNow);

    public static DeliveryRequest Mail(Guid? operationId = null) => new(
        "challenge-2", Channel.Email, Email, "a***@example.com",
        new RenderedMessage($"{Code} is your OTP code", $"Your code is {Code}", $"<p>Your code is <b>{Code}</b></p>"),
        operationId ?? Guid.NewGuid(), DateTimeOffset.UtcNow);

    public static AcsClientOptions Options(HttpMessageHandler? handler = null, TimeSpan? networkTimeout = null)
    {
        var options = new AcsClientOptions();
        if (handler is not null)
        {
            options.Transport = new HttpClientTransport(new HttpClient(handler));
        }

        if (networkTimeout is { } timeout)
        {
            options.Retry.NetworkTimeout = timeout;
        }

        return options;
    }

    public static AcsSmsProvider SmsProvider(FakeAcsServer server, AcsClientOptions? options = null, string? connectionString = null, TimeProvider? clock = null) =>
        new(AcsRestClient.WithAccessKey(AcsConnectionString.Parse(connectionString ?? server.ConnectionString), clock ?? TimeProvider.System, options), "+18005550199");

    public static AcsEmailProvider EmailProvider(FakeAcsServer server, AcsClientOptions? options = null) =>
        new(AcsRestClient.WithAccessKey(AcsConnectionString.Parse(server.ConnectionString), TimeProvider.System, options), "DoNotReply@contoso.example");
}

/// <summary>Swaps the request body after it was signed, the way a man in the middle would.</summary>
internal sealed class TamperingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsStringAsync(cancellationToken);
        var tampered = new StringContent(body.Replace("verification", "verificati0n", StringComparison.Ordinal));
        tampered.Headers.ContentType = request.Content.Headers.ContentType;
        request.Content = tampered;
        return await base.SendAsync(request, cancellationToken);
    }
}

internal sealed class FakeTokenCredential(string token) : TokenCredential
{
    public List<string[]> RequestedScopes { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        RequestedScopes.Add(requestContext.Scopes);
        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
