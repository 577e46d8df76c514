using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Delivery.Smtp;

/// <summary>Email through an SMTP relay with MailKit: one connection per message, text and HTML alternatives.</summary>
public sealed class SmtpProvider(SmtpSettings settings, string from, ILogger<SmtpProvider> logger) : IDeliveryProvider
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public string Name => "smtp";

    public async Task<DeliveryOutcome> SendAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(request);
        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        var outcome = await TrySendAsync(client, message, cancellationToken).ConfigureAwait(false);
        if (outcome.Kind != DeliveryOutcomeKind.Sent)
        {
            OtpLog.SmtpFailed(logger, request.MaskedTo, outcome.Error ?? "");
        }

        return outcome;
    }

    private MimeMessage CreateMessage(DeliveryRequest request)
    {
        var sender = MailboxAddress.Parse(from);
        var message = new MimeMessage
        {
            Subject = request.Message.Subject ?? "",
            // SMTP has no idempotency key; a stable Message-Id at least lets a duplicate be recognised.
            MessageId = $"{request.OperationId:N}@{(sender.Domain is { Length: > 0 } domain ? domain : "otp.invalid")}",
        };
        message.From.Add(sender);
        message.To.Add(MailboxAddress.Parse(request.To));
        var body = new BodyBuilder { TextBody = request.Message.Text, HtmlBody = request.Message.Html };
        message.Body = body.ToMessageBody();
        return message;
    }

    private async Task<DeliveryOutcome> TrySendAsync(SmtpClient client, MimeMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await ConnectAsync(client, cancellationToken).ConfigureAwait(false);
            await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (Failure(exception, cancellationToken) is { } failure)
        {
            return failure;
        }

        // Accepted: a failed QUIT must not turn into a retry that sends the email twice.
        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is SmtpProtocolException or SocketException or IOException or TimeoutException or OperationCanceledException)
        {
        }

        return DeliveryOutcome.Sent(message.MessageId);
    }

    private async Task ConnectAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        // Without UseTls, STARTTLS is still used whenever the relay offers it: a code is never sent in clear
        // to a server that could have taken it encrypted. (Outside Development that case is loopback only.)
        var security = !settings.UseTls ? SecureSocketOptions.StartTlsWhenAvailable
            : settings.Port == 465 ? SecureSocketOptions.SslOnConnect
            : SecureSocketOptions.StartTls;
        var host = settings.Host ?? throw new InvalidOperationException("Otp:Delivery:Email:Smtp:Host is not set.");
        await client.ConnectAsync(host, settings.Port, security, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(settings.Username))
        {
            await client.AuthenticateAsync(settings.Username, settings.Password ?? "", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// What a failed exchange means; null for anything else (thrown on). Only status codes go into reasons: server
    /// texts often quote the recipient's address. An untrusted or mismatched certificate is configuration, not
    /// weather: retrying will not fix it.
    /// </summary>
    private static DeliveryOutcome? Failure(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        SmtpCommandException { StatusCode: var status } when (int)status is >= 400 and < 500 => DeliveryOutcome.Transient($"SMTP server answered {(int)status}"),
        SmtpCommandException { StatusCode: var status } => DeliveryOutcome.Permanent($"SMTP server answered {(int)status}"),
        AuthenticationException => DeliveryOutcome.Permanent("SMTP authentication failed"),
        SslHandshakeException => DeliveryOutcome.Permanent("SMTP TLS handshake failed"),
        _ when exception is SmtpProtocolException or SocketException or IOException or TimeoutException or ServiceNotConnectedException
                  || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            => DeliveryOutcome.Transient($"SMTP server unreachable ({exception.GetType().Name})"),
        _ => null,
    };
}
