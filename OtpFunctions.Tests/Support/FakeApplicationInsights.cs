using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OtpFunctions.Tests.Support;

/// <summary>One telemetry item as the Azure Monitor exporters send it (Application Insights' envelope).</summary>
public sealed record AppInsightsItem(string Name, string BaseType, JsonElement BaseData, string? SdkVersion)
{
    /// <summary>What Application Insights shows as <c>customDimensions</c>.</summary>
    public IReadOnlyDictionary<string, string> Properties =>
        BaseData.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            ? properties.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString())
            : new Dictionary<string, string>();

    public string? Property(string name) => Properties.TryGetValue(name, out var value) ? value : null;

    public string? Text(string name) => BaseData.TryGetProperty(name, out var value) ? value.ToString() : null;
}

/// <summary>
/// A loopback Application Insights ingestion endpoint (<c>POST /v2.1/track</c>, gzip or plain, one JSON envelope
/// per line) that keeps what the exporters send, so tests can query what would reach the <c>traces</c>,
/// <c>requests</c> and <c>customMetrics</c> tables. Point a connection string's IngestionEndpoint at it.
/// </summary>
public sealed class FakeApplicationInsights : IAsyncDisposable
{
    private readonly ConcurrentQueue<AppInsightsItem> items = new();
    private readonly ConcurrentQueue<string> posts = new();
    private readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
    private WebApplication? app;

    public Uri Endpoint { get; private set; } = new("http://127.0.0.1/");

    public string ConnectionString => $"InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint={Endpoint};LiveEndpoint={Endpoint}";

    public IReadOnlyList<AppInsightsItem> Items => [.. items];

    /// <summary>
    /// One line per POST (seconds since start, the sender's SDK version, what it held): when a row is missing, this
    /// tells a sampled-out item (the sender's batches went on, every 5 s, without it) from a failed or late transmit.
    /// </summary>
    public string Timeline => string.Join("\n", posts);

    /// <summary>Log lines: the <c>traces</c> table.</summary>
    public IEnumerable<AppInsightsItem> Traces => Items.Where(i => i.BaseType == "MessageData" || i.BaseType == "ExceptionData");

    /// <summary>Server spans: the <c>requests</c> table.</summary>
    public IEnumerable<AppInsightsItem> Requests => Items.Where(i => i.BaseType == "RequestData");

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange", "false"]);
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        Endpoint = new Uri(app.Urls.Single().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal) + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref app, null) is { } running)
        {
            await running.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var accepted = 0;
        if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments("/v2.1/track"))
        {
            var body = context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
                ? new GZipStream(context.Request.Body, CompressionMode.Decompress)
                : context.Request.Body;
            using var reader = new StreamReader(body, Encoding.UTF8);
            var batch = new List<AppInsightsItem>();
            while (await reader.ReadLineAsync() is { } line)
            {
                if (!string.IsNullOrWhiteSpace(line))
                {
                    batch.Add(Parse(line));
                }
            }

            foreach (var item in batch)
            {
                items.Enqueue(item);
            }

            accepted = batch.Count;
            posts.Enqueue($"{clock.Elapsed.TotalSeconds:0.0} s {batch.FirstOrDefault()?.SdkVersion}: "
                + string.Join(", ", batch.GroupBy(i => i.BaseType == "RequestData" ? $"RequestData {i.Text("url")}" : i.BaseType).Select(g => $"{g.Count()} {g.Key}")));
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$"""{"itemsReceived":{{accepted}},"itemsAccepted":{{accepted}},"errors":[]}""");
    }

    private static AppInsightsItem Parse(string line)
    {
        var envelope = JsonDocument.Parse(line).RootElement.Clone();
        var data = envelope.GetProperty("data");
        var sdk = envelope.TryGetProperty("tags", out var tags) && tags.TryGetProperty("ai.internal.sdkVersion", out var version) ? version.GetString() : null;
        return new AppInsightsItem(envelope.GetProperty("name").GetString()!, data.GetProperty("baseType").GetString()!, data.GetProperty("baseData"), sdk);
    }
}
