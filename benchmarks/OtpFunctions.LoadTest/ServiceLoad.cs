using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OtpFunctions.Core;
using OtpFunctions.Delivery;
using OtpFunctions.LocalHost;
using OtpFunctions.Storage;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.LoadTest;

/// <summary>
/// The local host in this process, on its own table and queue, with a code catcher for delivery and the
/// storage request counter in its pipelines; and the send and verify phases driven against it.
/// </summary>
public sealed class ServiceLoad : IAsyncDisposable
{
    public const string SendRoute = "POST /api/otp";
    public const string VerifyRoute = "POST /api/otp/{id}/verify";

    private static readonly TimeSpan CodeTimeout = TimeSpan.FromSeconds(60);

    private readonly WebApplication app;
    private readonly HttpClient client;
    private readonly CodeCatcher catcher;
    private readonly ConcurrentQueue<(string Id, long SentAt)> sent = new();
    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private int next;

    private ServiceLoad(WebApplication app, CodeCatcher catcher, StorageRequestCounter counter)
    {
        this.app = app;
        this.catcher = catcher;
        Counter = counter;
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        client = new HttpClient(handler) { BaseAddress = new Uri(app.Urls.First() + "/api/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public StorageRequestCounter Counter { get; }

    public static async Task<ServiceLoad> StartAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var builder = LocalFunctionsHost.CreateBuilder(["--urls", "http://127.0.0.1:0", "--environment", "Development"], loadLocalSettings: false);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OtpStorage"] = Azurite.ConnectionString,
            ["Otp:Storage:Table"] = "load" + suffix,
            ["OTP_DELIVERY_QUEUE"] = "load-delivery-" + suffix,
            ["OTP_SWEEP_SCHEDULE"] = "0 0 0 1 1 *",
            // Every flow has its own destination and client address; the limits must not be what we measure.
            ["Otp:MaxSendsPerIp"] = "100000000",
            ["Otp:MaxSendsPerDestination"] = "1000000",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var catcher = new CodeCatcher();
        var counter = new StorageRequestCounter();
        builder.Services.AddKeyedSingleton<IDeliveryProvider>(Channel.Sms, catcher);
        builder.Services.AddKeyedSingleton<IDeliveryProvider>(Channel.Email, catcher);
        builder.Services.AddSingleton<HttpPipelinePolicy>(counter);

        var app = LocalFunctionsHost.Build(builder);
        StorageRequestCounter.NameRequestsByRoute(app);
        await app.StartAsync();
        await app.Services.GetRequiredService<StorageInitializer>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
        return new ServiceLoad(app, catcher, counter);
    }

    /// <summary>POST /api/otp to a fresh destination from a fresh client address; the id waits for the verify phase.</summary>
    public async Task<bool> SendAsync(LatencyStats stats)
    {
        var n = Interlocked.Increment(ref next);
        var (channel, to) = n % 2 == 0
            ? ("sms", string.Create(CultureInfo.InvariantCulture, $"+1415{200 + (n / 10_000 % 800)}{n % 10_000:D4}"))
            : ("email", $"load-{run}-{n}@example.com");
        using var request = new HttpRequestMessage(HttpMethod.Post, "otp") { Content = JsonContent.Create(new { channel, to }) };
        // Loopback is a trusted proxy, so this is the client address the IP limit sees: one per flow, like real users.
        request.Headers.Add("X-Forwarded-For", string.Create(CultureInfo.InvariantCulture, $"2001:db8:{n >> 16:x}:{n & 0xffff:x}::1"));
        var started = Stopwatch.GetTimestamp();
        var (status, body, error) = await CallAsync(request, HttpStatusCode.Accepted);
        stats.Record(started, error);
        if (status == HttpStatusCode.Accepted)
        {
            sent.Enqueue((body.GetProperty("id").GetString()!, Stopwatch.GetTimestamp()));
        }

        return true;
    }

    private static readonly TimeSpan BacklogTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Waits until every code of the send phase has reached the provider, so the verify phase measures
    /// verifies, not the delivery backlog the send phase left behind.
    /// </summary>
    public async Task<TimeSpan> WaitForDeliveriesAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var deadline = DateTime.UtcNow + BacklogTimeout;
        foreach (var (id, _) in sent.ToArray())
        {
            var left = deadline - DateTime.UtcNow;
            try
            {
                await catcher.WaitForArrivalAsync(id, left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            }
            catch (TimeoutException)
            {
                break;
            }
        }

        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Takes one sent challenge, waits for its code to be delivered, and verifies it; false when none are left.</summary>
    public async Task<bool> VerifyAsync(LatencyStats stats, LatencyStats delivery)
    {
        if (!sent.TryDequeue(out var challenge))
        {
            return false;
        }

        string code;
        try
        {
            var (caught, arrivedAt) = await catcher.WaitForCodeAsync(challenge.Id, CodeTimeout);
            code = caught;
            delivery.Record(Stopwatch.GetElapsedTime(challenge.SentAt, arrivedAt), null);
        }
        catch (TimeoutException)
        {
            delivery.Record(CodeTimeout, "no code within " + CodeTimeout.TotalSeconds + "s");
            return true;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"otp/{challenge.Id}/verify") { Content = JsonContent.Create(new { code }) };
        var started = Stopwatch.GetTimestamp();
        var (_, _, error) = await CallAsync(request, HttpStatusCode.OK);
        stats.Record(started, error);
        return true;
    }

    /// <summary>Forgets challenges sent but not verified (after the warm-up).</summary>
    public void DropPending() => sent.Clear();

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        var storage = app.Services.GetRequiredService<OtpStorage>();
        await app.StopAsync();
        await app.DisposeAsync();
        try
        {
            await storage.Table.DeleteAsync();
            await storage.Queue.DeleteIfExistsAsync();
            await storage.PoisonQueue.DeleteIfExistsAsync();
        }
        catch (Azure.RequestFailedException exception)
        {
            Console.Error.WriteLine($"Could not delete the load test's table and queues: {exception.Message}");
        }
    }

    private Task<(HttpStatusCode? Status, JsonElement Body, string? Error)> CallAsync(HttpRequestMessage request, HttpStatusCode expected) =>
        LoadHttp.CallAsync(client, request, expected);
}
