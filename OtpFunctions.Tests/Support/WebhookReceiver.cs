using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OtpFunctions.Tests.Support;

/// <summary>An app backend on loopback: records every webhook POST (body, headers, when) and answers what the test says.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<Received> received = new();

    private WebhookReceiver(WebApplication app) => this.app = app;

    /// <summary>The status for the n-th request (1-based); 204 unless a test says otherwise.</summary>
    public Func<int, int> Status { get; set; } = _ => StatusCodes.Status204NoContent;

    public string Url => app.Urls.First() + "/hooks";

    public IReadOnlyCollection<Received> Requests => received;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange", "false"]);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            receiver.received.Enqueue(new Received(body, new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value)), DateTimeOffset.UtcNow));
            return Results.StatusCode(receiver.Status(receiver.received.Count));
        });
        await app.StartAsync();
        return receiver;
    }

    public Task<List<Received>> WaitForAsync(int count, TimeSpan? timeout = null) =>
        Eventually.GetAsync(
            () => Task.FromResult(received.ToList()),
            got => got.Count >= count,
            got => $"expected {count} webhook requests, got {got.Count}",
            timeout);

    public ValueTask DisposeAsync() => app.DisposeAsync();

    public sealed record Received(string Body, IHeaderDictionary Headers, DateTimeOffset At)
    {
        public WebhookEvent Event => Contract.Parse<WebhookEvent>(Body);
    }
}
