using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Delivery;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Delivery;

/// <summary>The queue-triggered function end to end: real queue, real table, the provider's answers scripted.</summary>
public sealed class DeliveryFunctionTests : IAsyncLifetime
{
    private OtpHost host = null!;

    public async Task InitializeAsync() => host = await OtpHost.StartAsync(
        new Dictionary<string, string?> { ["Otp:Delivery:Retry:MaxAttempts"] = "3", ["Otp:Delivery:Retry:BaseDelay"] = "00:00:00.050" },
        listenToQueue: false);

    public async Task DisposeAsync() => await host.DisposeAsync();

    private DeliveryService Delivery => host.Services.GetRequiredService<DeliveryService>();

    [Fact]
    public async Task RecordsSentWithProviderMessageId()
    {
        var id = await host.SendAsync(Destinations.Phone());

        await Delivery.DeliverAsync(await TakeMessageAsync(), CancellationToken.None);

        var delivery = (await host.StatusAsync(id)).Delivery;
        Assert.Equal("sent", delivery.Status);
        Assert.Null(delivery.Error);
        var request = Assert.Single(host.Delivery.For(id));
        Assert.Equal("+14155550123".Length, request.To.Length);
        Assert.StartsWith("+1415555", request.To, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordsFailureAtOnceGivenPermanentProviderError()
    {
        host.Delivery.Respond = _ => DeliveryOutcome.Permanent("invalid number");
        var id = await host.SendAsync(Destinations.Phone());

        await Delivery.DeliverAsync(await TakeMessageAsync(), CancellationToken.None);

        var delivery = (await host.StatusAsync(id)).Delivery;
        Assert.Equal("failed", delivery.Status);
        Assert.Equal("invalid number", delivery.Error);
    }

    [Fact]
    public async Task RequeuesTransientFailureThenRecordsFailedAndPoisonsOnLastAttempt()
    {
        host.Delivery.Respond = _ => DeliveryOutcome.Transient("HTTP 503");
        var id = await host.SendAsync(Destinations.Phone());
        var message = await TakeMessageAsync();

        await Delivery.DeliverAsync(message, CancellationToken.None);
        Assert.Equal("queued", (await host.StatusAsync(id)).Delivery.Status);
        var retried = await TakeMessageAsync();
        Assert.Equal(message, retried);
        await Delivery.DeliverAsync(retried, CancellationToken.None);
        await Delivery.DeliverAsync(await TakeMessageAsync(), CancellationToken.None);

        var delivery = (await host.StatusAsync(id)).Delivery;
        Assert.Equal("failed", delivery.Status);
        Assert.Contains("gave up after 3 attempts", delivery.Error, StringComparison.Ordinal);
        Assert.Single((await host.Storage.PoisonQueue.PeekMessagesAsync(10)).Value);
        Assert.Empty((await host.Storage.Queue.PeekMessagesAsync(10)).Value);
    }

    [Fact]
    public async Task WaitsAsLongAsTheProviderAsksBeforeRetrying()
    {
        host.Delivery.Respond = _ => DeliveryOutcome.Transient("HTTP 429", TimeSpan.FromSeconds(3));
        await host.SendAsync(Destinations.Phone());

        var message = await TakeMessageAsync();
        var requeued = Stopwatch.StartNew();

        await Delivery.DeliverAsync(message, CancellationToken.None);

        // Polled, and timed from before the attempt that queues the retry, so load can only make the wait look longer:
        // two fixed sleeps (nothing at 1.5 s, the message at 4 s) fail whenever a loaded machine wakes the first one late.
        await Eventually.TrueAsync(async () => (await host.Storage.Queue.PeekMessagesAsync(10)).Value.Length == 1, "the retry never became visible");
        Assert.True(requeued.Elapsed >= TimeSpan.FromSeconds(2.9), $"the retry was visible after {requeued.Elapsed.TotalSeconds:0.00} s, before the provider's 3 s");
    }

    [Fact]
    public async Task SendsOnceGivenMessageDeliveredTwice()
    {
        var id = await host.SendAsync(Destinations.Phone());
        var message = await TakeMessageAsync();

        await Delivery.DeliverAsync(message, CancellationToken.None);
        await Delivery.DeliverAsync(message, CancellationToken.None);

        Assert.Single(host.Delivery.For(id));
    }

    [Fact]
    public async Task DropsMessageOfSupersededCode()
    {
        var to = Destinations.Phone();
        var old = await host.SendAsync(to);
        var oldMessage = await TakeMessageAsync();
        var fresh = await host.SendAsync(to);
        var freshMessage = await TakeMessageAsync();

        await Delivery.DeliverAsync(oldMessage, CancellationToken.None);
        await Delivery.DeliverAsync(freshMessage, CancellationToken.None);

        Assert.Empty(host.Delivery.For(old));
        // Positive control: the current code's message, in the same setup, is delivered.
        Assert.Single(host.Delivery.For(fresh));
        Assert.Equal("sent", (await host.StatusAsync(fresh)).Delivery.Status);
    }

    [Fact]
    public async Task DropsMessageOfCanceledChallenge()
    {
        var canceled = await host.SendAsync(Destinations.Phone());
        var canceledMessage = await TakeMessageAsync();
        (await host.CancelAsync(canceled)).Dispose();
        var live = await host.SendAsync(Destinations.Phone());
        var liveMessage = await TakeMessageAsync();

        await Delivery.DeliverAsync(canceledMessage, CancellationToken.None);
        await Delivery.DeliverAsync(liveMessage, CancellationToken.None);

        Assert.Empty(host.Delivery.For(canceled));
        // Positive control: a pending challenge's message, in the same setup, is delivered.
        Assert.Single(host.Delivery.For(live));
    }

    [Fact]
    public async Task MarksFailedGivenTamperedCiphertext()
    {
        var id = await host.SendAsync(Destinations.Phone());
        var envelope = JsonSerializer.Deserialize<DeliveryEnvelope>(await TakeMessageAsync())!;
        var bytes = Convert.FromBase64String(envelope.Ciphertext);
        bytes[^1] ^= 1;
        var tampered = JsonSerializer.Serialize(envelope with { Ciphertext = Convert.ToBase64String(bytes) });

        await Delivery.DeliverAsync(tampered, CancellationToken.None);

        Assert.Empty(host.Delivery.For(id));
        Assert.Equal("failed", (await host.StatusAsync(id)).Delivery.Status);
    }

    /// <summary>
    /// The next message, polled for rather than read once: a retry is queued again with a visibility delay, and a test
    /// that slept a fixed time for it would fail whenever a loaded machine made the delay look longer.
    /// </summary>
    private async Task<string> TakeMessageAsync()
    {
        var message = (await Eventually.GetAsync(
            async () => (await host.Storage.Queue.ReceiveMessagesAsync(1)).Value.SingleOrDefault(),
            received => received is not null,
            _ => "no message on the delivery queue"))!;
        await host.Storage.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        return message.Body.ToString();
    }
}

/// <summary>Through the local host's queue listener: retries, then the poison queue.</summary>
public sealed class DeliveryPoisonQueueTests : IAsyncLifetime
{
    private OtpHost host = null!;

    public async Task InitializeAsync() => host = await OtpHost.StartAsync(new Dictionary<string, string?> { ["Otp:Delivery:Retry:BaseDelay"] = "00:00:00.100" });

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task MovesMessageToPoisonQueueAfterMaxAttempts()
    {
        host.Delivery.Respond = _ => DeliveryOutcome.Transient("HTTP 500");
        var id = await host.SendAsync(Destinations.Phone());

        await Eventually.TrueAsync(async () => (await host.Storage.PoisonQueue.PeekMessagesAsync(1)).Value.Length > 0, "no message reached the poison queue", TimeSpan.FromSeconds(60));

        Assert.Equal(5, host.Delivery.For(id).Count());
        Assert.Equal("failed", (await host.StatusAsync(id)).Delivery.Status);
    }

    /// <summary>
    /// Through the real listener, beside a well-formed message: the malformed one is consumed (the queue drains)
    /// without a retry or the poison queue, which is what "without throwing" means to the host, and the
    /// well-formed one is still delivered.
    /// </summary>
    [Theory]
    [InlineData("not json")]
    [InlineData("{\"v\":1}")]
    [InlineData("{\"v\":1,\"id\":\"short\",\"ver\":1,\"op\":\"00000000-0000-0000-0000-000000000000\",\"first\":\"2026-01-01T00:00:00Z\",\"ct\":\"AAAA\"}")]
    [InlineData("{\"v\":2,\"id\":null}")]
    public async Task DropsMalformedMessageWithoutThrowing(string message)
    {
        await host.Storage.Queue.SendMessageAsync(message);
        var id = await host.SendAsync(Destinations.Phone());

        await host.Delivery.WaitForCodeAsync(id);
        await host.WaitForQueueDrainedAsync();

        Assert.Empty((await host.Storage.PoisonQueue.PeekMessagesAsync(10)).Value);
        Assert.Equal([id], host.Delivery.Requests.Select(request => request.ChallengeId));
    }

    [Fact]
    public async Task DeliversAfterTransientFailure()
    {
        var calls = 0;
        host.Delivery.Respond = request => Interlocked.Increment(ref calls) == 1 ? DeliveryOutcome.Transient("HTTP 429") : DeliveryOutcome.Sent("ok-" + request.OperationId);
        var id = await host.SendAsync(Destinations.Phone());

        var code = await host.Delivery.WaitForCodeAsync(id, nth: 2, timeout: TimeSpan.FromSeconds(30));
        using var verify = await host.VerifyAsync(id, code);

        await Contract.AssertStatusAsync(verify, System.Net.HttpStatusCode.OK);
        // The retry is the same operation, so ACS's repeatability check can recognise it.
        Assert.Single(host.Delivery.For(id).Select(r => r.OperationId).Distinct());
    }
}
