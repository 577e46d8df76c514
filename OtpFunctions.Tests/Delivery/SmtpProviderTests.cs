using Microsoft.Extensions.Logging.Abstractions;
using OtpFunctions.Delivery;
using OtpFunctions.Delivery.Smtp;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Delivery;

public sealed class SmtpProviderTests : IAsyncLifetime, IAsyncDisposable
{
    private readonly FakeSmtpServer _server = new();

    public Task InitializeAsync() => _server.StartAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    [Fact]
    public async Task ReturnsSentGivenListeningServer()
    {
        var request = DeliveryTestData.Mail();

        var outcome = await Provider(_server.Port).SendAsync(request, CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Sent, outcome.Kind);
        Assert.Equal($"{request.OperationId:N}@contoso.example", outcome.ProviderMessageId);
        var message = Assert.Single(_server.Messages);
        Assert.Equal(DeliveryTestData.Email, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("otp@contoso.example", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal($"{DeliveryTestData.Code} is your OTP code", message.Subject);
        Assert.Contains(DeliveryTestData.Code, message.TextBody, StringComparison.Ordinal);
        Assert.Contains($"<b>{DeliveryTestData.Code}</b>", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReturnsPermanentWithoutAddressGivenRejectedRecipient()
    {
        var request = DeliveryTestData.Mail() with { To = "someone@rejected.example" };

        var outcome = await Provider(_server.Port).SendAsync(request, CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Permanent, outcome.Kind);
        Assert.StartsWith("SMTP server answered 5", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("rejected.example", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(_server.Messages);
    }

    [Fact]
    public async Task ReturnsTransientGivenNoServer()
    {
        await using var stopped = new FakeSmtpServer();

        var outcome = await Provider(stopped.Port).SendAsync(DeliveryTestData.Mail(), CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Transient, outcome.Kind);
    }

    [Fact]
    public async Task UpgradesWithStartTlsWhenOfferedEvenWithoutUseTls()
    {
        // A certificate this machine does not trust: the upgrade is attempted and fails, so nothing goes in clear.
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=localhost", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await using var tlsServer = new FakeSmtpServer { Certificate = certificate };
        await tlsServer.StartAsync();

        var outcome = await Provider(tlsServer.Port).SendAsync(DeliveryTestData.Mail(), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Permanent("SMTP TLS handshake failed"), outcome);
        Assert.Empty(tlsServer.Messages);
    }

    private static SmtpProvider Provider(int port) =>
        new(new SmtpSettings { Host = "127.0.0.1", Port = port }, "OTP <otp@contoso.example>", NullLogger<SmtpProvider>.Instance);
}
