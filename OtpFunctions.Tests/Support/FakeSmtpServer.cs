using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace OtpFunctions.Tests.Support;

/// <summary>A real SMTP server (the SmtpServer library) on loopback that keeps what it receives.</summary>
public sealed class FakeSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<MimeMessage> _messages = new();
    private Task? _running;

    public int Port { get; } = Support.Loopback.FreePort();

    public IReadOnlyList<MimeMessage> Messages => [.. _messages];

    /// <summary>When set before start, the server offers STARTTLS with this certificate.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; init; }

    /// <summary>Recipients at this domain are refused with a permanent 5xx.</summary>
    public string RejectedDomain { get; set; } = "rejected.example";

    public Task StartAsync()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint =>
            {
                endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port));
                if (Certificate is not null)
                {
                    endpoint.Certificate(Certificate);
                }
            })
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(_messages));
        services.Add(new DelegatingMailboxFilter((IMailbox to, IMailbox _) => !string.Equals(to.Host, RejectedDomain, StringComparison.OrdinalIgnoreCase)));
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            try
            {
                await _running;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }


    private sealed class Store(ConcurrentQueue<MimeMessage> messages) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
