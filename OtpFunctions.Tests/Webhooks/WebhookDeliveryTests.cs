using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpFunctions.Delivery;
using OtpFunctions.Tests.Support;
using OtpFunctions.Webhooks;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace OtpFunctions.Tests.Webhooks;

/// <summary>
/// Outcomes reach app backends as Standard Webhooks: each endpoint gets the events it asked for, signed with
/// its own secret (checked here with the StandardWebhooks library, as a receiver would), retried with back-off
/// until a 2xx, and parked in the poison queue after the last attempt.
/// </summary>
public sealed class WebhookDeliveryTests
{
    [Fact]
    public async Task SendsSignedApprovedAndLockedEventsToSubscribedEndpointsOnly()
    {
        await using var app = await WebhookReceiver.StartAsync();
        await using var audit = await WebhookReceiver.StartAsync();
        var appSecret = NewSecret();
        var auditSecret = NewSecret();
        await using var host = await OtpHost.StartAsync(new Dictionary<string, string?>
        {
            ["Otp:Webhooks:app:Url"] = app.Url,
            ["Otp:Webhooks:app:Secret"] = appSecret,
            ["Otp:Webhooks:app:Events"] = "verification.approved, verification.locked",
            ["Otp:Webhooks:audit:Url"] = audit.Url,
            ["Otp:Webhooks:audit:Secret"] = auditSecret,
            ["Otp:Webhooks:audit:Events"] = "verification.locked",
        });

        var phone = Destinations.Phone();
        var approvedId = await host.SendAsync(phone);
        var code = await host.Delivery.WaitForCodeAsync(approvedId);
        using var verify = await host.VerifyAsync(approvedId, code);
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        var lockedId = await host.SendAsync(Destinations.Email(), "email", purpose: "login");
        var wrong = (await host.Delivery.WaitForCodeAsync(lockedId)) == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++)
        {
            using var _ = await host.VerifyAsync(lockedId, wrong);
        }

        var toApp = await app.WaitForAsync(2);
        var toAudit = await audit.WaitForAsync(1);

        var approved = toApp.Single(r => r.Event.Type == "verification.approved");
        new StandardWebhook(appSecret).Verify(approved.Body, approved.Headers);
        var data = approved.Event.Data;
        Assert.Equal(approvedId, data.Id);
        Assert.Equal("sms", data.Channel);
        Assert.Equal("login", data.Purpose);
        Assert.Matches(@"^\+1415\*+\d{0,2}$", data.To);
        Assert.InRange(approved.Event.Timestamp, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.DoesNotContain(code, approved.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(phone[1..], approved.Body, StringComparison.Ordinal);
        Assert.StartsWith("msg_", approved.Headers["webhook-id"].ToString(), StringComparison.Ordinal);
        Assert.StartsWith("v1,", approved.Headers["webhook-signature"].ToString(), StringComparison.Ordinal);

        var locked = toAudit.Single();
        Assert.Equal("verification.locked", locked.Event.Type);
        new StandardWebhook(auditSecret).Verify(locked.Body, locked.Headers);
        Assert.Equal(lockedId, locked.Event.Data.Id);
        // Each endpoint's own secret: one receiver's secret does not verify another's events.
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(appSecret).Verify(locked.Body, locked.Headers));
        Assert.Contains(toApp, r => r.Event.Type == "verification.locked");

        await host.SettleWebhooksAsync();
        Assert.Single(audit.Requests);
        Assert.Equal(2, app.Requests.Count);
    }

    [Fact]
    public async Task RetriesWithBackoffUntil2xxKeepingIdAndBody()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = n => n switch { 1 => 500, 2 => 302, _ => 200 };
        var secret = NewSecret();
        await using var host = await StartAsync(receiver, secret, "verification.approved", maxAttempts: 5);

        var id = await host.SendAsync(Destinations.Phone());
        using var verify = await host.VerifyAsync(id, await host.Delivery.WaitForCodeAsync(id));
        var requests = await receiver.WaitForAsync(3);

        Assert.Single(requests.Select(r => r.Headers["webhook-id"].ToString()).Distinct());
        Assert.Single(requests.Select(r => r.Body).Distinct());
        Assert.All(requests, r => new StandardWebhook(secret).Verify(r.Body, r.Headers));
        // Back-off of 1 s, then 4 s (queue visibility counts whole seconds): each wait at least as long as the schedule says.
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(900), $"first retry after {(requests[1].At - requests[0].At).TotalMilliseconds} ms");
        Assert.True(requests[2].At - requests[1].At >= TimeSpan.FromMilliseconds(3900), $"second retry after {(requests[2].At - requests[1].At).TotalMilliseconds} ms");
        await host.SettleWebhooksAsync();
        Assert.Equal(3, receiver.Requests.Count);
    }

    [Fact]
    public async Task MovesToPoisonQueueAfterMaxAttemptsGivenEndpointThatNeverAccepts()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = _ => 503;
        await using var host = await StartAsync(receiver, NewSecret(), "verification.approved", maxAttempts: 3);
        var queues = host.Services.GetRequiredService<WebhookQueues>();

        var id = await host.SendAsync(Destinations.Phone());
        using var verify = await host.VerifyAsync(id, await host.Delivery.WaitForCodeAsync(id));
        await receiver.WaitForAsync(3);
        await Eventually.TrueAsync(async () => (await queues.PoisonQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0, "nothing reached the webhook poison queue", TimeSpan.FromSeconds(20));

        var poisoned = host.Services.GetRequiredService<WebhookProtector>().TryOpen((await queues.PoisonQueue.ReceiveMessageAsync()).Value.Body.ToString(), out _);
        Assert.Equal(3, poisoned!.Attempt);
        Assert.Equal("verification.approved", poisoned.Type);
        await host.SettleWebhooksAsync();
        Assert.Equal(3, receiver.Requests.Count);
    }

    [Fact]
    public async Task DropsForgedOrAlteredQueueMessagesWithoutSigningThem()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var secret = NewSecret();
        var logs = new CapturingLoggerProvider();
        await using var host = await StartAsync(receiver, secret, "verification.approved,delivery.failed", configure: services => services.AddSingleton<ILoggerProvider>(logs));
        var queues = host.Services.GetRequiredService<WebhookQueues>();
        var protector = host.Services.GetRequiredService<WebhookProtector>();
        var forgedBody = """{"type":"verification.approved","timestamp":"2026-11-25T10:00:00Z","data":{"id":"victim","channel":"sms","to":"+1415*****00","purpose":"login"}}""";
        var failed = protector.Seal(new WebhookMessage("app", "msg_genuine_failure", "delivery.failed", forgedBody.Replace("verification.approved", "delivery.failed", StringComparison.Ordinal), 1));

        // Someone with write access to the queue: an unsealed event as the queue used to hold them, and a genuine
        // sealed delivery.failed relabelled as an approval.
        await queues.SendAsync(JsonSerializer.Serialize(new WebhookMessage("app", "msg_forged", "verification.approved", forgedBody, 1), JsonSerializerOptions.Web), null, CancellationToken.None);
        await queues.SendAsync(failed.Replace("delivery.failed", "verification.approved", StringComparison.Ordinal), null, CancellationToken.None);
        var refused = await Eventually.GetAsync(
            () => Task.FromResult(logs.Entries.Where(entry => entry.EventId == 6051).ToList()),
            entries => entries.Count >= 2,
            entries => $"{entries.Count} of 2 forged messages logged as refused");
        // Positive control: a genuine event on the same queue and endpoint still arrives, signed.
        var id = await host.SendAsync(Destinations.Phone());
        using var verify = await host.VerifyAsync(id, await host.Delivery.WaitForCodeAsync(id));
        var received = await receiver.WaitForAsync(1);

        Assert.All(refused, entry => Assert.Equal(LogLevel.Error, entry.Level));
        Assert.Contains(refused, entry => entry.Message.Contains("not a sealed webhook message", StringComparison.Ordinal));
        Assert.Contains(refused, entry => entry.Message.Contains("does not verify", StringComparison.Ordinal));
        var only = Assert.Single(received);
        Assert.Equal(id, only.Event.Data.Id);
        new StandardWebhook(secret).Verify(only.Body, only.Headers);
        // Dropped, not parked: a forged message is no delivery that failed.
        Assert.False((await queues.PoisonQueue.ExistsAsync()).Value && (await queues.PoisonQueue.PeekMessagesAsync()).Value.Length > 0);
    }

    [Fact]
    public async Task SendsDeliveryFailedOnceGivenDeliveryThatRunsOutOfRetries()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var secret = NewSecret();
        // Subscribed to every event, so a wrong one (or a second one) would arrive too.
        await using var host = await OtpHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Otp:Webhooks:app:Url"] = receiver.Url,
                ["Otp:Webhooks:app:Secret"] = secret,
                ["Otp:Webhooks:app:Events"] = string.Join(',', WebhookEvents.All),
                ["Otp:Delivery:Retry:MaxAttempts"] = "2",
                ["Otp:Delivery:Retry:BaseDelay"] = "00:00:00.100",
            });
        host.Delivery.Respond = _ => DeliveryOutcome.Transient("HTTP 503 from the provider");

        var id = await host.SendAsync(Destinations.Phone());
        await host.WaitForDeliveryAsync(id, "failed");
        var received = (await receiver.WaitForAsync(1)).Single();
        await host.SettleWebhooksAsync();

        new StandardWebhook(secret).Verify(received.Body, received.Headers);
        Assert.Equal("delivery.failed", received.Event.Type);
        Assert.Equal(id, received.Event.Data.Id);
        Assert.Equal("sms", received.Event.Data.Channel);
        Assert.Equal("gave up after 2 attempts", received.Event.Data.Reason);
        Assert.Equal(2, host.Delivery.For(id).Count());
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task SendsDeliveryFailedGivenProviderRefusal()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var secret = NewSecret();
        await using var host = await StartAsync(receiver, secret, "delivery.failed");
        host.Delivery.Respond = _ => DeliveryOutcome.Permanent("the provider said +14155550100 is unreachable");

        var id = await host.SendAsync(Destinations.Email(), "email");
        var received = (await receiver.WaitForAsync(1)).Single();

        new StandardWebhook(secret).Verify(received.Body, received.Headers);
        Assert.Equal("delivery.failed", received.Event.Type);
        var data = received.Event.Data;
        Assert.Equal(id, data.Id);
        Assert.Equal("email", data.Channel);
        Assert.Equal("refused by the provider", data.Reason);
        Assert.DoesNotContain("4155550100", received.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendsDeliveryFailedGivenFailedDeliveryReport()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var secret = NewSecret();
        await using var host = await StartAsync(receiver, secret, "delivery.failed");
        var id = await host.SendAsync(Destinations.Phone());
        await host.Delivery.WaitForCodeAsync(id);
        await host.WaitForDeliveryAsync(id, "sent");

        var messageId = "msg-" + host.Delivery.For(id).Single().OperationId.ToString("N");
        using var report = new HttpRequestMessage(HttpMethod.Post, "events/delivery")
        {
            Content = new StringContent(
                $$"""
                [{"id":"r1","topic":"/x","subject":"/phonenumber/14155550100","eventType":"Microsoft.Communication.SMSDeliveryReportReceived",
                  "data":{"MessageId":"{{messageId}}","DeliveryStatus":"Failed","DeliveryStatusDetails":"Unreachable"},
                  "eventTime":"2026-11-25T10:00:00Z","dataVersion":"1.0","metadataVersion":"1"}]
                """,
                System.Text.Encoding.UTF8,
                "application/json"),
        };
        report.Headers.Add("aeg-event-type", "Notification");
        using var answer = await host.Client.SendAsync(report);
        var received = (await receiver.WaitForAsync(1)).Single();

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        new StandardWebhook(secret).Verify(received.Body, received.Headers);
        Assert.Equal("delivery.failed", received.Event.Type);
        Assert.Equal(id, received.Event.Data.Id);
    }

    [Fact]
    public async Task QueuesNothingGivenNoEndpoint()
    {
        // What Bicep deploys for an unused slot: empty settings, which mean off rather than invalid.
        var logs = new CapturingLoggerProvider();
        await using var host = await OtpHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Otp:Webhooks:endpoint1:Url"] = "",
                ["Otp:Webhooks:endpoint1:Secret"] = "",
                ["Otp:Webhooks:endpoint1:Events"] = "",
            },
            services: services => services.AddSingleton<ILoggerProvider>(logs));
        var queues = host.Services.GetRequiredService<WebhookQueues>();

        var id = await host.SendAsync(Destinations.Phone());
        using var verify = await host.VerifyAsync(id, await host.Delivery.WaitForCodeAsync(id));
        await host.SettleWebhooksAsync();

        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        // Every event published was queued and handled by now: one would show as sent, retried or dropped (6001-6005, 6051).
        Assert.DoesNotContain(logs.Entries, entry => entry.EventId is >= 6001 and <= 6099);
        Assert.Empty((await queues.Queue.PeekMessagesAsync()).Value);
        Assert.Empty(host.Services.GetRequiredService<IOptions<WebhookOptions>>().Value.Endpoints);
    }

    [Theory]
    [InlineData("Url", "http://hooks.example.com/otp", "Otp:Webhooks:app:Url must be an absolute https URL")]
    [InlineData("Url", "not a url", "Otp:Webhooks:app:Url must be an absolute https URL")]
    [InlineData("Secret", "c2hvcnQ=", "Otp:Webhooks:app:Secret must be whsec_")]
    [InlineData("Secret", "whsec_c2hvcnQ=", "Otp:Webhooks:app:Secret must be whsec_")]
    [InlineData("Events", "verification.approved,user.created", "Otp:Webhooks:app:Events names unknown events (user.created)")]
    public async Task FailsToStartGivenBadEndpoint(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Otp:Webhooks:app:Url"] = "https://hooks.example.com/otp",
            ["Otp:Webhooks:app:Secret"] = NewSecret(),
            ["Otp:Webhooks:app:Events"] = "verification.approved",
        };
        settings["Otp:Webhooks:app:" + key] = value;

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => OtpHost.StartAsync(settings));

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
        if (key == "Secret")
        {
            Assert.DoesNotContain(value, exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task FailsToStartGivenEndpointTheBinderCannotRead()
    {
        // Events as an array cannot be read into the comma-separated setting: the binder drops the whole endpoint,
        // which would turn webhooks off without a word. Start-up names the endpoint instead.
        var settings = new Dictionary<string, string?>
        {
            ["Otp:Webhooks:app:Url"] = "https://hooks.example.com/otp",
            ["Otp:Webhooks:app:Secret"] = NewSecret(),
            ["Otp:Webhooks:app:Events:0"] = "verification.approved",
        };

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => OtpHost.StartAsync(settings));

        Assert.Contains("Otp:Webhooks:app could not be read", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", exception.Message, StringComparison.Ordinal);
    }

    private static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static Task<OtpHost> StartAsync(WebhookReceiver receiver, string secret, string events, int maxAttempts = 8, Action<IServiceCollection>? configure = null) =>
        OtpHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Otp:Webhooks:app:Url"] = receiver.Url,
                ["Otp:Webhooks:app:Secret"] = secret,
                ["Otp:Webhooks:app:Events"] = events,
            },
            services: services =>
            {
                services.Configure<WebhookRetryOptions>(retry =>
                {
                    retry.MaxAttempts = maxAttempts;
                    retry.BaseDelay = TimeSpan.FromSeconds(1);
                    retry.Timeout = TimeSpan.FromSeconds(5);
                });
                configure?.Invoke(services);
            });
}
