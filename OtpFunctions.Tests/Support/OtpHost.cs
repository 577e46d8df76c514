using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OtpFunctions.Delivery;
using OtpFunctions.LocalHost;
using OtpFunctions.Storage;

namespace OtpFunctions.Tests.Support;

/// <summary>
/// The local host on an ephemeral loopback port with its own table and queue, so test classes run in
/// parallel against one Azurite without seeing each other's rows or messages.
/// </summary>
public sealed class OtpHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private OtpHost(WebApplication app, CapturingDeliveryProvider delivery, FakeTimeProvider? clock, string table, string queue)
    {
        this.app = app;
        Delivery = delivery;
        Clock = clock;
        Table = table;
        Queue = queue;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First() + "/api/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Client { get; }

    public CapturingDeliveryProvider Delivery { get; }

    public FakeTimeProvider? Clock { get; }

    public string Table { get; }

    public string Queue { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>Leave the table and queues behind on dispose, for a test that restarts on the same storage.</summary>
    public bool KeepStorage { get; set; }

    public OtpStorage Storage => app.Services.GetRequiredService<OtpStorage>();

    public static async Task<OtpHost> StartAsync(
        IDictionary<string, string?>? settings = null,
        bool fakeClock = false,
        bool listenToQueue = true,
        string environment = "Development",
        Action<IServiceCollection>? services = null,
        bool waitForStorage = true,
        bool captureDelivery = true)
    {
        await Azurite.EnsureRunningAsync();
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var table = settings?.TryGetValue("Otp:Storage:Table", out var fixedTable) == true ? fixedTable! : "otp" + suffix;
        var queue = settings?.TryGetValue("OTP_DELIVERY_QUEUE", out var fixedQueue) == true ? fixedQueue! : "otp-delivery-" + suffix;
        var configuration = new Dictionary<string, string?>
        {
            ["OtpStorage"] = Azurite.ConnectionString,
            ["Otp:Storage:Table"] = table,
            ["OTP_DELIVERY_QUEUE"] = queue,
            ["OTP_SWEEP_SCHEDULE"] = "0 0 0 1 1 *",
            ["OTP_WEBHOOK_QUEUE"] = "otp-webhooks-" + suffix,
            // Every request comes from loopback; tests of the IP limit lower this again.
            ["Otp:MaxSendsPerIp"] = "1000000",
            // Tests send a few purposes anonymously; ServerCallerTests pins the default (login only).
            ["Otp:AllowedPurposes"] = "login,signup,payment",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        // No config file watchers: every test host would take an inotify instance, of which a user has only 128.
        var args = new List<string> { "--urls", "http://127.0.0.1:0", "--environment", environment, "--hostBuilder:reloadConfigOnChange", "false" };
        var builder = LocalFunctionsHost.CreateBuilder([.. args], loadLocalSettings: false);
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var delivery = new CapturingDeliveryProvider();
        if (captureDelivery)
        {
            builder.Services.AddKeyedSingleton<IDeliveryProvider>(Channel.Sms, delivery);
            builder.Services.AddKeyedSingleton<IDeliveryProvider>(Channel.Email, delivery);
            builder.Services.AddKeyedSingleton<IDeliveryProvider>(Channel.WhatsApp, delivery);
            builder.Services.AddKeyedSingleton<IDeliveryProvider>(Channel.Voice, delivery);
        }

        var clock = fakeClock ? new FakeTimeProvider(DateTimeOffset.UtcNow) : null;
        if (clock is not null)
        {
            builder.Services.RemoveAll<TimeProvider>();
            builder.Services.AddSingleton<TimeProvider>(clock);
        }

        if (!listenToQueue)
        {
            builder.Services.RemoveAll<IHostedService>();
            builder.Services.AddHostedService(provider => provider.GetRequiredService<StorageInitializer>());
        }

        services?.Invoke(builder.Services);
        var app = LocalFunctionsHost.Build(builder);
        await app.StartAsync();
        if (waitForStorage)
        {
            await app.Services.GetRequiredService<StorageInitializer>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
        }

        return new OtpHost(app, delivery, clock, table, queue);
    }

    /// <summary>
    /// Waits until the delivery queue holds no message, visible or in flight (Azure and Azurite both count
    /// in-flight messages, and the listener deletes a message only after its function returned).
    /// </summary>
    public Task WaitForQueueDrainedAsync() =>
        Eventually.GetAsync(
            async () => (await Storage.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount,
            count => count == 0,
            count => $"the delivery queue still holds {count} messages",
            TimeSpan.FromSeconds(60));

    /// <summary>
    /// Deterministic end of all webhook traffic: stops the outbox (which first moves every published event to the
    /// queue), then waits until the queue is empty, so every event was posted, retried to its end or dropped.
    /// No event can be published afterwards.
    /// </summary>
    public async Task SettleWebhooksAsync()
    {
        await app.Services.GetServices<IHostedService>().OfType<global::OtpFunctions.Webhooks.WebhookOutbox>().Single().StopAsync(CancellationToken.None);
        var queue = app.Services.GetRequiredService<global::OtpFunctions.Webhooks.WebhookQueues>().Queue;
        await Eventually.GetAsync(
            async () => (await queue.ExistsAsync()).Value ? (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0,
            count => count == 0,
            count => $"the webhook queue still holds {count} messages",
            TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        var storage = Storage;
        var webhooks = app.Services.GetRequiredService<global::OtpFunctions.Webhooks.WebhookQueues>();
        await app.StopAsync();
        await app.DisposeAsync();
        if (KeepStorage)
        {
            return;
        }

        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await storage.Table.DeleteAsync(quick.Token);
            await storage.Queue.DeleteIfExistsAsync();
            await storage.PoisonQueue.DeleteIfExistsAsync();
            await webhooks.Queue.DeleteIfExistsAsync();
            await webhooks.PoisonQueue.DeleteIfExistsAsync();
        }
        catch (Exception exception) when (exception is Azure.RequestFailedException or OperationCanceledException or AggregateException)
        {
            // A test that cut storage off leaves nothing to clean up.
        }
    }
}

/// <summary>A fresh phone number or email per call, so tests never share a destination's limits.</summary>
public static class Destinations
{
    private static int next = Random.Shared.Next(1_000_000);

    public static string Phone() => "+1415555" + (Interlocked.Increment(ref next) % 10_000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    public static string Email() => $"user{Interlocked.Increment(ref next)}@example.com";

    public static string Ip() => $"203.0.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";
}

/// <summary>One default host per test class.</summary>
public sealed class HostFixture : IAsyncLifetime
{
    public OtpHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await OtpHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
